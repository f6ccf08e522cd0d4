/* gcc's DW_AT_bit_offset for __int128 bit-fields in unions (s390x) */
union p_u { __int128 a:29; __int128 b:57; __int128 c:100; } p_vu;
