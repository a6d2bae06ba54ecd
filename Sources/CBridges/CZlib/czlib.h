// zlib, for the gzip'd IDX files of MNIST-format data sets. inflateInit2 is a macro: shim it.
#pragma once
#include <zlib.h>
static inline int czlib_inflate_init_gzip(z_stream *s) { return inflateInit2(s, 15 + 32); }
