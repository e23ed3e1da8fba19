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
  SOCK_ACCEPT = 3,      /* SYN_RECV -> ESTABLISHED (inbound, softirq: no reliable pid) */
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

SEC("tracepoint/sock/inet_sock_set_state")
int handle_inet_sock_set_state(struct trace_event_raw_inet_sock_set_state *ctx) {
  if (ctx->protocol != IPPROTO_TCP)
    return 0;
  int oldstate = ctx->oldstate;
  int newstate = ctx->newstate;
  __u32 op;
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

  __u64 skaddr = (__u64)ctx->skaddr;
  struct sock_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    count_drop();
    return 0;
  }
  fill_header(&e->h, EVENT_SOCK);
  if (op == SOCK_CONNECT || op == SOCK_LISTEN) {
    struct sock_owner o = {};
    o.pid = e->h.pid;
    o.tgid = e->h.tgid;
    o.ppid = e->h.ppid;
    o.uid = e->h.uid;
    o.gid = e->h.gid;
    o.cgroup_id = e->h.cgroup_id;
    __builtin_memcpy(o.comm, e->h.comm, TASK_COMM_LEN);
    bpf_map_update_elem(&sock_owners, &skaddr, &o, BPF_ANY);
  } else if (op == SOCK_ESTABLISHED || op == SOCK_CLOSE) {
    /* Softirq context: current is whoever was running. Use the remembered owner. */
    struct sock_owner *o = bpf_map_lookup_elem(&sock_owners, &skaddr);
    if (o) {
      e->h.pid = o->pid;
      e->h.tgid = o->tgid;
      e->h.ppid = o->ppid;
      e->h.uid = o->uid;
      e->h.gid = o->gid;
      e->h.cgroup_id = o->cgroup_id;
      __builtin_memcpy(e->h.comm, o->comm, TASK_COMM_LEN);
    }
    if (op == SOCK_CLOSE)
      bpf_map_delete_elem(&sock_owners, &skaddr);
  } else if (op == SOCK_ACCEPT) {
    /* Inbound: attribute to the listener's owner when we saw it listen. The listening socket
     * is not in the tracepoint, so the pid stays "unknown" (0) unless the softirq ran in it. */
    e->h.pid = 0;
    e->h.tgid = 0;
    e->h.ppid = 0;
    e->h.uid = 0;
    e->h.gid = 0;
    e->h.cgroup_id = 0;
    __builtin_memset(e->h.comm, 0, TASK_COMM_LEN);
  }
  e->skaddr = skaddr;
  e->op = op;
  e->oldstate = oldstate;
  e->newstate = newstate;
  e->family = ctx->family;
  e->sport = ctx->sport;
  e->dport = ctx->dport;
  e->pad = 0;
  if (ctx->family == AF_INET) {
    __builtin_memset(e->saddr, 0, 16);
    __builtin_memset(e->daddr, 0, 16);
    /* ctx memory cannot be copied with variable offsets; read it through the helper */
    bpf_probe_read_kernel(e->saddr, 4, ctx->saddr);
    bpf_probe_read_kernel(e->daddr, 4, ctx->daddr);
  } else {
    bpf_probe_read_kernel(e->saddr, 16, ctx->saddr_v6);
    bpf_probe_read_kernel(e->daddr, 16, ctx->daddr_v6);
  }
  submit(e);
  return 0;
}
