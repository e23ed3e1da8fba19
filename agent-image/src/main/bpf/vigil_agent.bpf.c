// SPDX-License-Identifier: GPL-2.0
// Vigil host agent: process and TCP socket visibility from stable tracepoints.
//
// One "sensor" = the programs and maps in this object, loaded and unloaded together by
// dev.vigil.agent.bpf.AgentSensor. Event structs are mirrored by the Java flyweight views in
// dev.vigil.agent.bpf.*Event; BtfLayoutChecker compares both against this object's BTF.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

#define TASK_COMM_LEN 16
#define FILENAME_LEN 256
#define ARGS_LEN 512

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6

enum event_kind {
  EVENT_EXEC = 1,
  EVENT_EXIT = 2,
  EVENT_FORK = 3,
  EVENT_SOCK = 4,
};

/* What a TCP state change means for the agent. */
enum sock_op {
  SOCK_CONNECT = 1,     /* CLOSE -> SYN_SENT, in the connecting task's context */
  SOCK_ESTABLISHED = 2, /* SYN_SENT -> ESTABLISHED (outbound) */
  SOCK_ACCEPT = 3,      /* inbound, emitted when accept(2)/accept4(2) returns it: the acceptor */
  SOCK_CLOSE = 4,       /* any -> CLOSE */
  SOCK_LISTEN = 5,      /* CLOSE -> LISTEN, in the listening task's context */
};

struct event_header {
  __u32 kind;
  __u32 pid;  /* thread id of current */
  __u32 tgid; /* process id of current */
  __u32 ppid; /* real parent's tgid */
  __u32 uid;
  __u32 gid;
  __u64 ktime_ns;
  __u64 cgroup_id;
  char comm[TASK_COMM_LEN];
};

struct exec_event {
  struct event_header h;
  __u32 filename_len;
  __u32 args_len;
  char filename[FILENAME_LEN];
  char args[ARGS_LEN]; /* argv, NUL separated, possibly truncated */
  __u64 exe_ino;        /* inode of the image this exec loaded (mm->exe_file), 0 if unknown */
};

struct exit_event {
  struct event_header h;
  __u32 exit_code; /* wait status: (code << 8) | signal */
  __u32 pad;
};

struct fork_event {
  struct event_header h;
  __u32 child_pid;
  __u32 pad;
};

struct sock_event {
  struct event_header h;
  __u64 skaddr;
  __u32 op;
  __s32 oldstate;
  __s32 newstate;
  __u16 family;
  __u16 sport;
  __u16 dport;
  __u16 pad;
  __u8 saddr[16];
  __u8 daddr[16];
};

/* Who opened a socket, remembered at SYN_SENT / LISTEN for the softirq-side transitions. */
struct sock_owner {
  __u32 pid;
  __u32 tgid;
  __u32 ppid;
  __u32 uid;
  __u32 gid;
  __u32 pad;
  __u64 cgroup_id;
  char comm[TASK_COMM_LEN];
};

/* Inbound connections handshaken (SYN_RECV -> ESTABLISHED, softirq) and not yet accepted. */
struct pending_accept {
  __u16 family;
  __u16 sport;
  __u16 dport;
  __u16 pad;
  __u8 saddr[16];
  __u8 daddr[16];
};

/* Agent settings written by user space after load; read on every socket transition. */
#define CONFIG_LOOPBACK 1 /* also report loopback-to-loopback TCP (off: dropped in the kernel) */

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u32);
} agent_config SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 16384);
  __type(key, __u64);
  __type(value, struct pending_accept);
} pending_accepts SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 1 << 22);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 65536);
  __type(key, __u64);
  __type(value, struct sock_owner);
} sock_owners SEC(".maps");

/* Events the ring buffer had no room for, per CPU; the agent exports the sum. */
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} dropped SEC(".maps");

/* Keep the event structs in BTF even if the compiler folds a use away. */
const struct exec_event *unused_exec __attribute__((unused));
const struct exit_event *unused_exit __attribute__((unused));
const struct fork_event *unused_fork __attribute__((unused));
const struct sock_event *unused_sock __attribute__((unused));

/*
 * Wake the agent only when a batch has built up; it also drains the ring every 100 ms, so an
 * event is at most that late. One wakeup per event would cost a context switch per exec/connect
 * under a storm.
 */
#define WAKEUP_BYTES (64 * 1024)

static __always_inline void submit(void *e) {
  __u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
  bpf_ringbuf_submit(e, avail >= WAKEUP_BYTES ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

static __always_inline void count_drop(void) {
  __u32 zero = 0;
  __u64 *v = bpf_map_lookup_elem(&dropped, &zero);
  if (v)
    __sync_fetch_and_add(v, 1);
}

static __always_inline void fill_header(struct event_header *h, __u32 kind) {
  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  __u64 pid_tgid = bpf_get_current_pid_tgid();
  __u64 uid_gid = bpf_get_current_uid_gid();
  h->kind = kind;
  h->pid = (__u32)pid_tgid;
  h->tgid = pid_tgid >> 32;
  h->ppid = BPF_CORE_READ(task, real_parent, tgid);
  h->uid = (__u32)uid_gid;
  h->gid = uid_gid >> 32;
  h->ktime_ns = bpf_ktime_get_ns();
  h->cgroup_id = bpf_get_current_cgroup_id();
  bpf_get_current_comm(h->comm, sizeof(h->comm));
}

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx) {
  struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    count_drop();
    return 0;
  }
  fill_header(&e->h, EVENT_EXEC);
  unsigned int loc = ctx->__data_loc_filename & 0xFFFF;
  long n = bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), (void *)ctx + loc);
  e->filename_len = n > 0 ? n - 1 : 0;

  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  unsigned long arg_start = BPF_CORE_READ(task, mm, arg_start);
  unsigned long arg_end = BPF_CORE_READ(task, mm, arg_end);
  unsigned long len = arg_end - arg_start;
  if (len > ARGS_LEN - 1)
    len = ARGS_LEN - 1; /* the mask below must keep the verifier's bound under ARGS_LEN */
  len &= ARGS_LEN - 1;
  e->args_len = 0;
  if (len > 0 && bpf_probe_read_user(e->args, len, (void *)arg_start) == 0)
    e->args_len = len;
  /* The image of this exec, to tell it from a later one: the same process may exec again (a
   * setpriv or su wrapper) before user space reads /proc/<pid>/exe. Uid/gid in the header are the
   * credentials this exec runs with (commit_creds ran before the tracepoint). */
  e->exe_ino = BPF_CORE_READ(task, mm, exe_file, f_inode, i_ino);
  submit(e);
  return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int handle_exit(struct trace_event_raw_sched_process_template *ctx) {
  __u64 pid_tgid = bpf_get_current_pid_tgid();
  if ((__u32)pid_tgid != (pid_tgid >> 32))
    return 0; /* a thread, not the process, is leaving */
  struct exit_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    count_drop();
    return 0;
  }
  fill_header(&e->h, EVENT_EXIT);
  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  __u32 code = BPF_CORE_READ(task, exit_code);
  __u32 group = BPF_CORE_READ(task, signal, group_exit_code);
  e->exit_code = code ? code : group;
  e->pad = 0;
  submit(e);
  return 0;
}

SEC("tracepoint/sched/sched_process_fork")
int handle_fork(struct trace_event_raw_sched_process_fork *ctx) {
  struct fork_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    count_drop();
    return 0;
  }
  fill_header(&e->h, EVENT_FORK);
  e->child_pid = ctx->child_pid;
  e->pad = 0;
  submit(e);
  return 0;
}

static __always_inline int loopback4(const __u8 *a) {
  return a[0] == 127;
}

static __always_inline int loopback6(const __u8 *a) {
  __u64 hi, lo;
  __builtin_memcpy(&hi, a, 8);
  __builtin_memcpy(&lo, a + 8, 8);
  /* ::1, or ::ffff:127.x.y.z (IPv4-mapped loopback) */
  if (hi != 0)
    return 0;
  return lo == bpf_cpu_to_be64(1) || (lo & bpf_cpu_to_be64(0xffffffffff000000ULL)) ==
                                         bpf_cpu_to_be64(0x0000ffff7f000000ULL);
}

static __always_inline void owner_to_header(struct event_header *h, const struct sock_owner *o) {
  h->pid = o->pid;
  h->tgid = o->tgid;
  h->ppid = o->ppid;
  h->uid = o->uid;
  h->gid = o->gid;
  h->cgroup_id = o->cgroup_id;
  __builtin_memcpy(h->comm, o->comm, TASK_COMM_LEN);
}

static __always_inline void remember_owner(__u64 skaddr, const struct event_header *h) {
  struct sock_owner o = {};
  o.pid = h->pid;
  o.tgid = h->tgid;
  o.ppid = h->ppid;
  o.uid = h->uid;
  o.gid = h->gid;
  o.cgroup_id = h->cgroup_id;
  __builtin_memcpy(o.comm, h->comm, TASK_COMM_LEN);
  bpf_map_update_elem(&sock_owners, &skaddr, &o, BPF_ANY);
}

SEC("tracepoint/sock/inet_sock_set_state")
int handle_inet_sock_set_state(struct trace_event_raw_inet_sock_set_state *ctx) {
  if (ctx->protocol != IPPROTO_TCP)
    return 0;
  int oldstate = ctx->oldstate;
  int newstate = ctx->newstate;
  __u32 op;
  /* Only the transitions the agent uses; the others (FIN_WAIT*, CLOSE_WAIT, LAST_ACK, ...) return
   * here, before any helper call. */
  if (oldstate == BPF_TCP_CLOSE && newstate == BPF_TCP_SYN_SENT)
    op = SOCK_CONNECT;
  else if (oldstate == BPF_TCP_SYN_SENT && newstate == BPF_TCP_ESTABLISHED)
    op = SOCK_ESTABLISHED;
  else if (oldstate == BPF_TCP_SYN_RECV && newstate == BPF_TCP_ESTABLISHED)
    op = SOCK_ACCEPT;
  else if (oldstate == BPF_TCP_CLOSE && newstate == BPF_TCP_LISTEN)
    op = SOCK_LISTEN;
  else if (newstate == BPF_TCP_CLOSE)
    op = SOCK_CLOSE;
  else
    return 0;

  __u8 saddr[16] = {};
  __u8 daddr[16] = {};
  __u16 family = ctx->family;
  if (family == AF_INET) {
    /* ctx memory cannot be copied with variable offsets; read it through the helper */
    bpf_probe_read_kernel(saddr, 4, ctx->saddr);
    bpf_probe_read_kernel(daddr, 4, ctx->daddr);
  } else {
    bpf_probe_read_kernel(saddr, 16, ctx->saddr_v6);
    bpf_probe_read_kernel(daddr, 16, ctx->daddr_v6);
  }
  __u32 zero = 0;
  __u32 *cfg = bpf_map_lookup_elem(&agent_config, &zero);
  if (!(cfg && (*cfg & CONFIG_LOOPBACK))) {
    /* Loopback-to-loopback never leaves the node: not a connect-back, dropped here unless the
     * agent asked for it. A listener has no peer, so only its own address counts. */
    int listener = op == SOCK_LISTEN || oldstate == BPF_TCP_LISTEN;
    int lo = family == AF_INET ? loopback4(saddr) && (listener || loopback4(daddr))
                               : loopback6(saddr) && (listener || loopback6(daddr));
    if (lo)
      return 0;
  }

  __u64 skaddr = (__u64)ctx->skaddr;
  if (op == SOCK_ACCEPT) {
    /* Softirq: current is whoever was running. Keep the connection until accept(2) returns it in
     * the accepting process (handle_accept_exit), which emits the event. */
    struct pending_accept pa = {};
    pa.family = family;
    pa.sport = ctx->sport;
    pa.dport = ctx->dport;
    __builtin_memcpy(pa.saddr, saddr, 16);
    __builtin_memcpy(pa.daddr, daddr, 16);
    bpf_map_update_elem(&pending_accepts, &skaddr, &pa, BPF_ANY);
    return 0;
  }

  struct sock_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    count_drop();
    return 0;
  }
  if (op == SOCK_CONNECT || op == SOCK_LISTEN) {
    fill_header(&e->h, EVENT_SOCK);
    remember_owner(skaddr, &e->h);
  } else {
    /* ESTABLISHED and CLOSE run in softirq or timer context: use the remembered owner, or say
     * "unknown" (pid 0) rather than whoever happened to be running. */
    struct sock_owner *o = bpf_map_lookup_elem(&sock_owners, &skaddr);
    __builtin_memset(&e->h, 0, sizeof(e->h));
    e->h.kind = EVENT_SOCK;
    e->h.ktime_ns = bpf_ktime_get_ns();
    if (o)
      owner_to_header(&e->h, o);
    if (op == SOCK_CLOSE) {
      /* a delete takes the bucket lock even for an absent key: look first (lock-free) */
      if (o)
        bpf_map_delete_elem(&sock_owners, &skaddr);
      if (bpf_map_lookup_elem(&pending_accepts, &skaddr))
        bpf_map_delete_elem(&pending_accepts, &skaddr); /* handshaken, never accepted */
    }
  }
  e->skaddr = skaddr;
  e->op = op;
  e->oldstate = oldstate;
  e->newstate = newstate;
  e->family = family;
  e->sport = ctx->sport;
  e->dport = ctx->dport;
  e->pad = 0;
  __builtin_memcpy(e->saddr, saddr, 16);
  __builtin_memcpy(e->daddr, daddr, 16);
  submit(e);
  return 0;
}

/*
 * accept(2)/accept4(2) returned a new descriptor in the accepting process: find its sock through
 * the file table and, when the handshake was seen, report the inbound connection with this
 * process as owner (its close is then attributed too). Kprobes are not available, so the fd is the
 * only way from a syscall tracepoint to the socket.
 */
static __always_inline int accept_exit(long ret) {
  if (ret < 0)
    return 0;
  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
  if (!fdt)
    return 0;
  unsigned int max_fds = BPF_CORE_READ(fdt, max_fds);
  if ((unsigned long)ret >= max_fds)
    return 0;
  struct file **fds = BPF_CORE_READ(fdt, fd);
  struct file *f = 0;
  if (bpf_probe_read_kernel(&f, sizeof(f), &fds[ret]) != 0 || !f)
    return 0;
  struct socket *sock = BPF_CORE_READ(f, private_data);
  if (!sock)
    return 0;
  __u64 skaddr = (__u64)BPF_CORE_READ(sock, sk);
  struct pending_accept *pa = bpf_map_lookup_elem(&pending_accepts, &skaddr);
  if (!pa)
    return 0; /* not a TCP socket we saw handshake (or a filtered loopback one) */
  struct sock_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    count_drop();
    bpf_map_delete_elem(&pending_accepts, &skaddr);
    return 0;
  }
  fill_header(&e->h, EVENT_SOCK);
  remember_owner(skaddr, &e->h);
  e->skaddr = skaddr;
  e->op = SOCK_ACCEPT;
  e->oldstate = BPF_TCP_SYN_RECV;
  e->newstate = BPF_TCP_ESTABLISHED;
  e->family = pa->family;
  e->sport = pa->sport;
  e->dport = pa->dport;
  e->pad = 0;
  __builtin_memcpy(e->saddr, pa->saddr, 16);
  __builtin_memcpy(e->daddr, pa->daddr, 16);
  bpf_map_delete_elem(&pending_accepts, &skaddr);
  submit(e);
  return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int handle_accept4_exit(struct trace_event_raw_sys_exit *ctx) {
  return accept_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int handle_accept_exit(struct trace_event_raw_sys_exit *ctx) {
  return accept_exit(ctx->ret);
}
