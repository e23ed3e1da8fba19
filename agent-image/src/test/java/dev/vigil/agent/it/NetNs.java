package dev.vigil.agent.it;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace joined to the root namespace by a veth pair on a random /30 of TEST-NET-2
 * (198.51.100.0/24): "public" for the connect-back detector, but existing only on this veth. {@link
 * #close()} deletes the namespace, which also removes both veth ends.
 */
public final class NetNs implements AutoCloseable {
  public final String name;
  public final String hostIf;
  public final String nsIf;
  public final String hostAddress;
  public final String nsAddress;

  public NetNs() {
    String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    name = "ag-" + id;
    hostIf = "ag" + id + "h";
    nsIf = "ag" + id + "n";
    int base = 4 * ThreadLocalRandom.current().nextInt(1, 63);
    hostAddress = "198.51.100." + (base + 2);
    nsAddress = "198.51.100." + (base + 1);
    try {
      Sh.run("ip", "netns", "add", name);
      Sh.run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
      Sh.run("ip", "link", "set", nsIf, "netns", name);
      Sh.run("ip", "addr", "add", hostAddress + "/30", "dev", hostIf);
      Sh.run("ip", "link", "set", hostIf, "up");
      exec("ip", "addr", "add", nsAddress + "/30", "dev", nsIf);
      exec("ip", "link", "set", nsIf, "up");
      exec("ip", "link", "set", "lo", "up");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Runs a command inside the namespace and waits for it. */
  public String exec(String... cmd) {
    String[] full = new String[cmd.length + 4];
    full[0] = "ip";
    full[1] = "netns";
    full[2] = "exec";
    full[3] = name;
    System.arraycopy(cmd, 0, full, 4, cmd.length);
    return Sh.run(full);
  }

  /** The command prefix that runs something inside the namespace. */
  public String[] prefix() {
    return new String[] {"ip", "netns", "exec", name};
  }

  @Override
  public void close() {
    Sh.quietly("ip", "netns", "del", name);
    Sh.quietly("ip", "link", "del", hostIf);
  }
}
