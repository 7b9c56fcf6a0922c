package io.argate.enco.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The few libc calls AF_ALG needs (socket(2), bind(2), setsockopt(2), accept(2), sendmsg(2), read(2)). */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, Pointer addr, int len) throws LastErrorException;

    int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

    int accept(int fd, Pointer addr, Pointer len) throws LastErrorException;

    long sendmsg(int fd, Pointer msg, int flags) throws LastErrorException;

    long read(int fd, Pointer buf, long len) throws LastErrorException;

    int close(int fd) throws LastErrorException;
}
