#include "AvxUpperState.h"

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#endif

namespace isobar {

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))

namespace {

// Compiled for AVX on its own, so the rest of the build keeps the baseline instruction set.
__attribute__((target("avx"))) void zeroUpper()
{
    _mm256_zeroupper();
}

} // namespace

void clearAvxUpperState()
{
    static const bool hasAvx = __builtin_cpu_supports("avx");
    if (hasAvx)
        zeroUpper();
}

#else

void clearAvxUpperState() {}

#endif

} // namespace isobar
