#pragma once

namespace isobar {

// Clears the upper halves of the AVX registers (VZEROUPPER) when this CPU has AVX; nothing
// elsewhere. Painting into a QImage leaves them dirty on this machine (a plain fill of a
// 1200x600 image is enough; not with glibc's AVX-512 string functions switched off through
// GLIBC_TUNABLES), and until they are cleared every legacy SSE instruction on the thread pays a
// transition penalty: zlib and libpng, built for plain SSE2, encoded a 1200x600 chart in 12.5 ms
// instead of 6.3 right after it was painted (docs/CHARTS.md, "Raster speed"). Call it before
// SSE-heavy work that may follow painting on the same thread.
void clearAvxUpperState();

} // namespace isobar
