package dev.vigil.agent.bpf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A minimal reader of the {@code .BTF} section of a BPF ELF object: enough to list struct members
 * with their byte offsets and sizes (see the kernel's {@code Documentation/bpf/btf.rst}).
 */
public final class Btf {
  static final int KIND_INT = 1;
  static final int KIND_PTR = 2;
  static final int KIND_ARRAY = 3;
  static final int KIND_STRUCT = 4;
  static final int KIND_UNION = 5;
  static final int KIND_ENUM = 6;
  static final int KIND_FWD = 7;
  static final int KIND_TYPEDEF = 8;
  static final int KIND_VOLATILE = 9;
  static final int KIND_CONST = 10;
  static final int KIND_RESTRICT = 11;
  static final int KIND_FUNC = 12;
  static final int KIND_FUNC_PROTO = 13;
  static final int KIND_VAR = 14;
  static final int KIND_DATASEC = 15;
  static final int KIND_FLOAT = 16;
  static final int KIND_DECL_TAG = 17;
  static final int KIND_TYPE_TAG = 18;
  static final int KIND_ENUM64 = 19;

  /** A struct member: byte offset, byte size (after typedef/const resolution), its type id. */
  public record Member(String name, long offset, long size, int typeId, boolean bitfield) {}

  /** A struct or union. */
  public record Struct(String name, long size, List<Member> members) {
    public Optional<Member> member(String name) {
      return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }
  }

  private record Type(int kind, String name, int info, int sizeOrType, int[] extra) {}

  private final List<Type> types = new ArrayList<>(); // index = type id; 0 is void
  private final Map<String, Integer> structsByName = new HashMap<>();

  private Btf() {
    types.add(new Type(0, "void", 0, 0, new int[0]));
  }

  /** Reads the {@code .BTF} section of an ELF64 little-endian object file. */
  public static Btf fromElf(Path object) throws IOException {
    byte[] elf = Files.readAllBytes(object);
    ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    if (elf.length < 64 || b.getInt(0) != 0x464c457f) {
      throw new IOException(object + " is not an ELF file");
    }
    if (elf[4] != 2 || elf[5] != 1) {
      throw new IOException(object + " is not ELF64 little-endian");
    }
    long shoff = b.getLong(0x28);
    int shentsize = Short.toUnsignedInt(b.getShort(0x3A));
    int shnum = Short.toUnsignedInt(b.getShort(0x3C));
    int shstrndx = Short.toUnsignedInt(b.getShort(0x3E));
    long strtabOff = b.getLong((int) (shoff + (long) shstrndx * shentsize + 24));
    for (int i = 0; i < shnum; i++) {
      int sh = (int) (shoff + (long) i * shentsize);
      String name = cstr(elf, (int) (strtabOff + Integer.toUnsignedLong(b.getInt(sh))));
      if (name.equals(".BTF")) {
        int off = (int) b.getLong(sh + 24);
        int size = (int) b.getLong(sh + 32);
        return parse(ByteBuffer.wrap(elf, off, size).slice().order(ByteOrder.LITTLE_ENDIAN));
      }
    }
    throw new IOException(object + " has no .BTF section (compile with clang -g)");
  }

  /** Parses raw BTF (as in /sys/kernel/btf/vmlinux or an ELF .BTF section). */
  public static Btf parse(ByteBuffer raw) throws IOException {
    ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (Short.toUnsignedInt(b.getShort(0)) != 0xEB9F) {
      throw new IOException("bad BTF magic");
    }
    int hdrLen = b.getInt(4);
    int typeOff = b.getInt(8);
    int typeLen = b.getInt(12);
    int strOff = b.getInt(16);
    int strLen = b.getInt(20);
    byte[] strings = new byte[strLen];
    b.get(hdrLen + strOff, strings);
    Btf btf = new Btf();
    int p = hdrLen + typeOff;
    int end = p + typeLen;
    while (p < end) {
      int nameOff = b.getInt(p);
      int info = b.getInt(p + 4);
      int sizeOrType = b.getInt(p + 8);
      p += 12;
      int kind = (info >>> 24) & 0x1f;
      int vlen = info & 0xffff;
      int words =
          switch (kind) {
            case KIND_INT, KIND_VAR, KIND_DECL_TAG -> 1;
            case KIND_ARRAY -> 3;
            case KIND_STRUCT, KIND_UNION, KIND_DATASEC, KIND_ENUM64 -> 3 * vlen;
            case KIND_ENUM, KIND_FUNC_PROTO -> 2 * vlen;
            case KIND_PTR,
                KIND_FWD,
                KIND_TYPEDEF,
                KIND_VOLATILE,
                KIND_CONST,
                KIND_RESTRICT,
                KIND_FUNC,
                KIND_FLOAT,
                KIND_TYPE_TAG ->
                0;
            default -> throw new IOException("unknown BTF kind " + kind);
          };
      int[] extra = new int[words];
      for (int i = 0; i < words; i++) {
        extra[i] = b.getInt(p + 4 * i);
      }
      p += 4 * words;
      String name = cstr(strings, nameOff);
      btf.types.add(new Type(kind, name, info, sizeOrType, extra));
      if ((kind == KIND_STRUCT || kind == KIND_UNION) && !name.isEmpty()) {
        btf.structsByName.putIfAbsent(name, btf.types.size() - 1);
      }
    }
    btf.strings = strings;
    return btf;
  }

  private byte[] strings = new byte[0];

  public Optional<Struct> struct(String name) {
    Integer id = structsByName.get(name);
    return id == null ? Optional.empty() : Optional.of(structById(id));
  }

  /** The struct behind a type id, through typedefs and qualifiers. */
  public Optional<Struct> structOf(int typeId) {
    int id = skipQualifiers(typeId);
    Type t = types.get(id);
    return t.kind() == KIND_STRUCT || t.kind() == KIND_UNION
        ? Optional.of(structById(id))
        : Optional.empty();
  }

  private Struct structById(int id) {
    Type t = types.get(id);
    boolean kindFlag = (t.info() >>> 31) != 0;
    int vlen = t.info() & 0xffff;
    List<Member> members = new ArrayList<>(vlen);
    for (int i = 0; i < vlen; i++) {
      String mname = cstr(strings, t.extra()[3 * i]);
      int mtype = t.extra()[3 * i + 1];
      int moff = t.extra()[3 * i + 2];
      long bitOffset = kindFlag ? (moff & 0xffffff) : Integer.toUnsignedLong(moff);
      boolean bitfield = kindFlag && (moff >>> 24) != 0;
      members.add(new Member(mname, bitOffset / 8, sizeOf(mtype), mtype, bitfield));
    }
    return new Struct(t.name(), Integer.toUnsignedLong(t.sizeOrType()), List.copyOf(members));
  }

  /** Size in bytes of a type id. */
  public long sizeOf(int typeId) {
    int id = skipQualifiers(typeId);
    Type t = types.get(id);
    return switch (t.kind()) {
      case KIND_INT, KIND_STRUCT, KIND_UNION, KIND_ENUM, KIND_ENUM64, KIND_FLOAT ->
          Integer.toUnsignedLong(t.sizeOrType());
      case KIND_PTR -> 8;
      case KIND_ARRAY -> Integer.toUnsignedLong(t.extra()[2]) * sizeOf(t.extra()[0]);
      default -> 0;
    };
  }

  private int skipQualifiers(int typeId) {
    int id = typeId;
    for (int guard = 0; guard < 64; guard++) {
      Type t = types.get(id);
      switch (t.kind()) {
        case KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST, KIND_RESTRICT, KIND_TYPE_TAG ->
            id = t.sizeOrType();
        default -> {
          return id;
        }
      }
    }
    throw new IllegalStateException("BTF qualifier chain too long at type " + typeId);
  }

  private static String cstr(byte[] b, int off) {
    if (off < 0 || off >= b.length) {
      return "";
    }
    int e = off;
    while (e < b.length && b[e] != 0) {
      e++;
    }
    return new String(b, off, e - off, StandardCharsets.UTF_8);
  }
}
