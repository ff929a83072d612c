"""Layer L3/L3' of the sandbox: OS-level hardening of a worker process, applied once at its start.

Pure Python (ctypes over libc), no extra packages:

* ``setsid`` (own session: Ctrl-C in the terminal does not reach it, it can be killed as a group),
  ``PR_SET_PDEATHSIG`` = SIGKILL (it dies with the zygote that forked it), ``PR_SET_NO_NEW_PRIVS``;
* rlimits: address space (``memory_mb``), CPU time (raised per batch by the worker, hard limit kept),
  file size 0, core dumps 0, open files 64, and ``NPROC`` 0 when not root (ignored for root);
* landlock (kernel ABI >= 1): the filesystem becomes read-only, and readable only below the
  interpreter's prefixes, ``/usr``, ``/lib*`` and the packages the worker imports; on ABI >= 4 no TCP
  bind/connect, on ABI >= 6 no signals to processes outside the worker and no abstract unix sockets;
* seccomp (x86_64 only; a classic-BPF filter built here): default allow, EPERM for sockets,
  exec, fork (``clone`` without ``CLONE_THREAD``), kill/tkill/tgkill, ptrace, mounts, namespaces,
  filesystem changes, identity changes, SysV IPC, kernel/memory interfaces, ``prlimit64`` on other
  processes, and ``open``/``openat`` with write or create flags; ``clone3``/``openat2`` give ENOSYS.
* optionally (``drop_privileges``), when running as root: ``setgroups([])``, ``setgid``/``setuid``
  to 65534 (nobody), before seccomp forbids it.

Off-switch: pass ``hardening=False`` to :class:`her_arc.sandbox.ExecutorPool`, or set the environment
variable ``HER_ARC_SANDBOX_HARDENING=0`` in the process that creates the pool. rlimits, the timer
and the AST check stay on either way. Each layer that cannot be applied is reported (never fatal):
see ``ExecutorPool.hardening``.
"""

from __future__ import annotations

import ctypes
import os
import platform
import resource
import signal
import sys

PR_SET_PDEATHSIG = 1
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2

_libc = ctypes.CDLL(None, use_errno=True)
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
_libc.prctl.restype = ctypes.c_int
_libc.syscall.restype = ctypes.c_long


def _prctl(option: int, arg: int = 0, arg3: int = 0) -> None:
    if _libc.prctl(option, arg, arg3, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


# --- seccomp -------------------------------------------------------------------------------------

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x4000_0000
CLONE_THREAD = 0x0001_0000
OPEN_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

# x86_64 numbers, from /usr/include/x86_64-linux-gnu/asm/unistd_64.h (fchmodat2 = 452 is newer).
_X86_64_DENY_EPERM = {
    # network, execution, processes, signals to others, tracing
    "socket": 41, "socketpair": 53, "connect": 42, "bind": 49, "listen": 50, "accept": 43, "accept4": 288,
    "execve": 59, "execveat": 322, "fork": 57, "vfork": 58, "ptrace": 101, "kill": 62, "tkill": 200,
    "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297, "pidfd_send_signal": 424,
    "pidfd_getfd": 438, "pidfd_open": 434, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312,
    "process_madvise": 440, "process_mrelease": 448,
    # mounts and namespaces
    "mount": 165, "umount2": 166, "unshare": 272, "setns": 308, "chroot": 161, "pivot_root": 155,
    "mount_setattr": 442, "move_mount": 429, "open_tree": 428, "fsopen": 430, "fsconfig": 431,
    "fsmount": 432, "fspick": 433,
    # filesystem changes
    "unlink": 87, "unlinkat": 263, "rename": 82, "renameat": 264, "renameat2": 316, "mkdir": 83,
    "mkdirat": 258, "rmdir": 84, "chmod": 90, "fchmod": 91, "fchmodat": 268, "fchmodat2": 452, "chown": 92,
    "fchown": 93, "lchown": 94, "fchownat": 260, "truncate": 76, "ftruncate": 77, "symlink": 88,
    "symlinkat": 266, "link": 86, "linkat": 265, "creat": 85, "mknod": 133, "mknodat": 259,
    "setxattr": 188, "lsetxattr": 189, "fsetxattr": 190, "removexattr": 197, "lremovexattr": 198,
    "fremovexattr": 199, "utime": 132, "utimes": 235, "utimensat": 280, "futimesat": 261,
    "name_to_handle_at": 303, "open_by_handle_at": 304, "fanotify_init": 300, "quotactl": 179,
    "quotactl_fd": 443, "acct": 163, "uselib": 134, "swapon": 167, "swapoff": 168,
    # identity
    "setuid": 105, "setgid": 106, "setreuid": 113, "setregid": 114, "setresuid": 117, "setresgid": 119,
    "setfsuid": 122, "setfsgid": 123, "setgroups": 116, "capset": 126,
    # SysV / POSIX IPC shared between processes
    "shmget": 29, "shmat": 30, "shmctl": 31, "shmdt": 67, "semget": 64, "semop": 65, "semctl": 66,
    "semtimedop": 220, "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71, "mq_open": 240,
    "mq_unlink": 241,
    # kernel and memory interfaces, root-only knobs
    "bpf": 321, "perf_event_open": 298, "io_uring_setup": 425, "io_uring_enter": 426,
    "io_uring_register": 427, "userfaultfd": 323, "keyctl": 250, "add_key": 248, "request_key": 249,
    "init_module": 175, "finit_module": 313, "delete_module": 176, "kexec_load": 246,
    "kexec_file_load": 320, "iopl": 172, "ioperm": 173, "reboot": 169, "sethostname": 170,
    "setdomainname": 171, "settimeofday": 164, "clock_settime": 227, "clock_adjtime": 305, "adjtimex": 159,
    "syslog": 103, "vhangup": 153, "lookup_dcookie": 212, "mbind": 237, "migrate_pages": 256,
    "move_pages": 279, "ioprio_set": 251, "setpriority": 141, "sched_setscheduler": 144,
    "sched_setparam": 142, "sched_setaffinity": 203, "setrlimit": 160,
}  # fmt: skip
_X86_64 = {"clone": 56, "clone3": 435, "open": 2, "openat": 257, "openat2": 437, "prlimit64": 302}

_BPF_LD_W_ABS = 0x20
_BPF_JEQ_K = 0x15
_BPF_JGE_K = 0x35
_BPF_JSET_K = 0x45
_BPF_RET_K = 0x06
_RET_ALLOW = 0x7FFF_0000
_RET_KILL_PROCESS = 0x8000_0000
_RET_ERRNO = 0x0005_0000
_OFF_NR, _OFF_ARCH = 0, 4


def _off_arg(i: int, high: bool = False) -> int:
    return 16 + 8 * i + (4 if high else 0)  # little-endian 64-bit args


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def seccomp_program() -> list[tuple[int, int, int, int]]:
    """The BPF filter as (code, jt, jf, k) tuples; raises RuntimeError on an unsupported machine."""
    if sys.byteorder != "little" or platform.machine() not in ("x86_64", "AMD64"):
        raise RuntimeError(f"seccomp filter is written for x86_64 only (this is {platform.machine()})")
    prog: list[list] = []
    labels: dict[str, int] = {}

    def emit(code, k=0, jt=0, jf=0):
        prog.append([code, jt, jf, k])

    def label(name):
        labels[name] = len(prog)

    emit(_BPF_LD_W_ABS, _OFF_ARCH)
    emit(_BPF_JEQ_K, AUDIT_ARCH_X86_64, 0, "kill")
    emit(_BPF_LD_W_ABS, _OFF_NR)
    emit(_BPF_JGE_K, X32_SYSCALL_BIT, "eperm", 0)
    for nr in sorted(set(_X86_64_DENY_EPERM.values())):
        emit(_BPF_JEQ_K, nr, "eperm", 0)
    emit(_BPF_JEQ_K, _X86_64["clone3"], "enosys", 0)
    emit(_BPF_JEQ_K, _X86_64["openat2"], "enosys", 0)
    emit(_BPF_JEQ_K, _X86_64["clone"], "clone", 0)
    emit(_BPF_JEQ_K, _X86_64["open"], "open", 0)
    emit(_BPF_JEQ_K, _X86_64["openat"], "openat", 0)
    emit(_BPF_JEQ_K, _X86_64["prlimit64"], "prlimit", 0)
    emit(_BPF_RET_K, _RET_ALLOW)
    label("clone")  # threads only: clone(flags, ...) must carry CLONE_THREAD
    emit(_BPF_LD_W_ABS, _off_arg(0))
    emit(_BPF_JSET_K, CLONE_THREAD, "allow", "eperm")
    label("open")  # open(path, flags, mode)
    emit(_BPF_LD_W_ABS, _off_arg(1))
    emit(_BPF_JSET_K, OPEN_WRITE_FLAGS, "eperm", "allow")
    label("openat")  # openat(dirfd, path, flags, mode)
    emit(_BPF_LD_W_ABS, _off_arg(2))
    emit(_BPF_JSET_K, OPEN_WRITE_FLAGS, "eperm", "allow")
    label("prlimit")  # prlimit64(pid, ...) only on itself (pid 0), as glibc's setrlimit does
    emit(_BPF_LD_W_ABS, _off_arg(0))
    emit(_BPF_JEQ_K, 0, 0, "eperm")
    emit(_BPF_LD_W_ABS, _off_arg(0, high=True))
    emit(_BPF_JEQ_K, 0, "allow", "eperm")
    label("allow")
    emit(_BPF_RET_K, _RET_ALLOW)
    label("eperm")
    emit(_BPF_RET_K, _RET_ERRNO | 1)  # EPERM
    label("enosys")
    emit(_BPF_RET_K, _RET_ERRNO | 38)  # ENOSYS
    label("kill")
    emit(_BPF_RET_K, _RET_KILL_PROCESS)

    out = []
    for i, (code, jt, jf, k) in enumerate(prog):
        jt = labels[jt] - i - 1 if isinstance(jt, str) else jt
        jf = labels[jf] - i - 1 if isinstance(jf, str) else jf
        if not (0 <= jt <= 255 and 0 <= jf <= 255):
            raise RuntimeError("seccomp jump out of range")
        out.append((code, jt, jf, k))
    return out


def load_seccomp(program: list[tuple[int, int, int, int]]) -> None:
    """Install the filter on the calling thread (needs NO_NEW_PRIVS, set before)."""
    filters = (_SockFilter * len(program))(*[_SockFilter(*ins) for ins in program])
    fprog = _SockFprog(len(program), filters)
    if _libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


# --- landlock ------------------------------------------------------------------------------------

_SYS_LANDLOCK_CREATE_RULESET = 444  # same number on every architecture
_SYS_LANDLOCK_ADD_RULE = 445
_SYS_LANDLOCK_RESTRICT_SELF = 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1
_FS_EXECUTE, _FS_READ_FILE, _FS_READ_DIR = 1 << 0, 1 << 2, 1 << 3


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _syscall(nr: int, *args) -> int:
    res = _libc.syscall(ctypes.c_long(nr), *args)
    if res < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return res


def landlock_abi() -> int:
    try:
        return _syscall(
            _SYS_LANDLOCK_CREATE_RULESET,
            None,
            ctypes.c_size_t(0),
            ctypes.c_uint32(_LANDLOCK_CREATE_RULESET_VERSION),
        )
    except OSError:
        return 0


def apply_landlock(read_paths: list[str]) -> str:
    """Restrict the filesystem to reading below ``read_paths``; returns a description of what is on."""
    abi = landlock_abi()
    if abi < 1:
        raise RuntimeError("landlock is not available in this kernel")
    handled_fs = (1 << 13) - 1  # ABI 1: execute .. make_sym
    if abi >= 2:
        handled_fs |= 1 << 13  # refer
    if abi >= 3:
        handled_fs |= 1 << 14  # truncate
    if abi >= 5:
        handled_fs |= 1 << 15  # ioctl_dev
    attr = _RulesetAttr(handled_fs, 0, 0)
    size = 8
    extras = []
    if abi >= 4:
        attr.handled_access_net = 0b11  # bind_tcp | connect_tcp, no rule allows any port
        size = 16
        extras.append("no TCP")
    if abi >= 6:
        attr.scoped = 0b11  # abstract unix sockets | signals outside the domain
        size = 24
        extras.append("no signals out")
    ruleset = _syscall(
        _SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0)
    )
    try:
        for path in dict.fromkeys(read_paths):
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                access = _FS_READ_FILE | _FS_EXECUTE | (0 if os.path.isfile(path) else _FS_READ_DIR)
                rule = _PathBeneathAttr(access, fd)
                _syscall(
                    _SYS_LANDLOCK_ADD_RULE,
                    ruleset,
                    ctypes.c_int(_LANDLOCK_RULE_PATH_BENEATH),
                    ctypes.byref(rule),
                    ctypes.c_uint32(0),
                )
            finally:
                os.close(fd)
        _syscall(_SYS_LANDLOCK_RESTRICT_SELF, ruleset, ctypes.c_uint32(0))
    finally:
        os.close(ruleset)
    return f"on (ABI {abi}: read-only fs{', ' if extras else ''}{', '.join(extras)})"


def default_read_paths(extra: list[str]) -> list[str]:
    paths = [sys.prefix, sys.base_prefix, sys.exec_prefix, "/usr", "/lib", "/lib64", "/etc/ld.so.cache"]
    paths += [os.path.dirname(os.path.realpath(sys.executable))]
    return [os.path.realpath(p) for p in paths + list(extra)]


# --- everything, in order ------------------------------------------------------------------------


def _set_limit(which: int, soft: int, hard: int | None = None) -> None:
    cur_soft, cur_hard = resource.getrlimit(which)
    if hard is None:
        hard = cur_hard
    if cur_hard != resource.RLIM_INFINITY:  # never try to raise an inherited hard limit
        soft = min(soft, cur_hard) if soft != resource.RLIM_INFINITY else cur_hard
        hard = min(hard, cur_hard) if hard != resource.RLIM_INFINITY else cur_hard
    resource.setrlimit(which, (soft, hard))


def set_memory_limit(memory_mb: int) -> None:
    _set_limit(resource.RLIMIT_AS, int(memory_mb) * 1024 * 1024)


def set_cpu_budget(seconds: float) -> None:
    """Soft CPU limit = CPU used so far + ``seconds`` (SIGXCPU kills the worker past it)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _set_limit(resource.RLIMIT_CPU, int(usage.ru_utime + usage.ru_stime + seconds) + 1)


def harden_worker(*, zygote_pid: int, memory_mb: int, hardening: bool, drop_privileges: bool,
                  read_paths: list[str]) -> dict[str, str]:  # fmt: skip
    """Apply every layer to the calling (freshly forked) worker; returns layer -> status text."""
    report: dict[str, str] = {}
    os.setsid()
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != zygote_pid:  # the zygote died before PDEATHSIG was armed
        os._exit(1)
    report["pdeathsig"] = "on"
    try:
        _prctl(PR_SET_NO_NEW_PRIVS, 1)
        report["no_new_privs"] = "on"
    except OSError as exc:
        report["no_new_privs"] = f"off: {exc}"
    program = None
    if hardening:
        try:
            program = seccomp_program()
        except RuntimeError as exc:
            report["seccomp"] = f"off: {exc}"
    else:
        report["seccomp"] = report["landlock"] = "off: disabled by configuration"

    set_memory_limit(memory_mb)
    _set_limit(resource.RLIMIT_FSIZE, 0, 0)
    _set_limit(resource.RLIMIT_CORE, 0, 0)
    _set_limit(resource.RLIMIT_NOFILE, 64, 64)
    set_cpu_budget(60.0)
    limits = f"AS {memory_mb} MiB, CPU per batch, FSIZE 0, CORE 0, NOFILE 64"
    if drop_privileges and os.getuid() == 0:
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            report["uid"] = "65534 (dropped from root)"
        except OSError as exc:
            report["uid"] = f"0 (drop failed: {exc})"
    else:
        report["uid"] = str(os.getuid())
    if os.getuid() != 0:
        _set_limit(resource.RLIMIT_NPROC, 0, 0)
        limits += ", NPROC 0"
    report["rlimits"] = limits
    if hardening:
        try:
            report["landlock"] = apply_landlock(read_paths)
        except (OSError, RuntimeError) as exc:
            report["landlock"] = f"off: {exc}"
        if program is not None:
            try:
                load_seccomp(program)
                report["seccomp"] = (
                    f"on ({len(_X86_64_DENY_EPERM)} syscalls denied + clone/open/prlimit rules)"
                )
            except OSError as exc:
                report["seccomp"] = f"off: {exc}"
    return report
