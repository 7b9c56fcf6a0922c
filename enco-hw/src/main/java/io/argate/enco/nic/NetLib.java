package io.argate.enco.nic;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** libc calls for the ethtool ioctl and the XFRM netlink probe. */
interface NetLib extends Library {
    NetLib INSTANCE = Native.load("c", NetLib.class);

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

    long send(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    long recv(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;
}
