"""What a worker process asks of the kernel: to die with its parent, and to open no network socket.

Standard library only (ctypes): the SPARQL query worker (`serve/worker.py`) loads this file by path, without
importing the `iei_kg` package. Linux only; elsewhere each function says that it did nothing, and callers decide.
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys
import threading
import time

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
EACCES = 13

# machine -> (AUDIT_ARCH_*, syscall numbers of socket and io_uring_setup)
_ARCH = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
_X32_SYSCALL_BIT = 0x40000000  # x86-64's x32 ABI: denied whole (a worker never uses it)


def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def die_with_parent(parent_pid: int, poll_s: float = 0.5) -> None:
    """End this process within `poll_s` seconds of `parent_pid` going, however it goes (`kill -9` included): a
    daemon thread watches the parent.

    Not PR_SET_PDEATHSIG: Linux sends that signal when the *thread* that started the process ends, and the query
    pool starts its workers from short-lived threads."""
    if os.getppid() != parent_pid:  # the parent is gone already
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(poll_s)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def deny_network() -> str | None:
    """Forbid this process (and the threads and processes it starts later) to create sockets: socket(2) and
    io_uring_setup(2) fail with EACCES, so no library in the process can reach another machine, whatever it is
    asked (a SPARQL `SERVICE` or `LOAD`). Pipes and open files still work.

    A seccomp filter: the kernel enforces it and it cannot be lifted. Call it before the process starts threads.
    Returns None when the filter is in place, else why not (not Linux, an unknown machine, no seccomp)."""
    libc = _libc()
    if libc is None:
        return f"no seccomp on {sys.platform}"
    arch = _ARCH.get(platform.machine())
    if arch is None:
        return f"no seccomp filter for the machine {platform.machine()}"
    audit_arch, nr_socket, nr_io_uring = arch
    deny = SECCOMP_RET_ERRNO | EACCES
    ld, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_JMP|JGE|K, BPF_RET|K
    program = [
        (ld, 0, 0, 4),                       # 0: A = seccomp_data.arch
        (jeq, 0, 5, audit_arch),             # 1: another ABI (32-bit calls from a 64-bit process) -> 7
        (ld, 0, 0, 0),                       # 2: A = seccomp_data.nr
        (jge, 4, 0, _X32_SYSCALL_BIT),       # 3: x32 -> 8
        (jeq, 3, 0, nr_socket),              # 4: socket -> 8
        (jeq, 2, 0, nr_io_uring),            # 5: io_uring_setup -> 8
        (ret, 0, 0, SECCOMP_RET_ALLOW),      # 6
        (ret, 0, 0, deny),                   # 7
        (ret, 0, 0, deny),                   # 8
    ]
    filters = (_Filter * len(program))(*[_Filter(*instruction) for instruction in program])
    fprog = _Program(len(program), filters)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return f"prctl(PR_SET_NO_NEW_PRIVS) failed: {os.strerror(ctypes.get_errno())}"
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        return f"prctl(PR_SET_SECCOMP) failed: {os.strerror(ctypes.get_errno())}"
    return None
