/* Which alignments gcc 12 records (DW_AT_alignment), per target: test/layout/abi/gcc-probes.test.ts */
struct __attribute__((aligned(16))) p_a { int x; } p_va;            /* user-aligned, 16 bytes */
struct p_b { int x __attribute__((aligned(8))); } p_vb;            /* user-aligned member, 8 bytes */
struct p_e { int x; } __attribute__((aligned(8))) p_ve;            /* user-aligned, 8 bytes */
struct __attribute__((aligned(4))) p_g { char x[3]; char y; } p_vg; /* BLKmode field: kept */
struct p_ld { long double ld __attribute__((aligned(8))); char c; } p_vld; /* below natural on x86_64 */
