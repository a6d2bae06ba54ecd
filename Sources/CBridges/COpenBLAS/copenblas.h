// OpenBLAS's CBLAS interface. No pkg-config on purpose: Debian's openblas.pc pins the pthread
// directory, while <cblas.h> and -lopenblas follow the alternative the machine selected.
#pragma once
#include <cblas.h>
