/*
 * bitcount.c - PassGym embedded benchmark.
 *
 * Counts the set bits of a deterministic stream of 32-bit words using several
 * different algorithms (shift loop, Kernighan's trick, 8-bit and 4-bit lookup
 * tables, parallel SWAR reduction, a recursive divide-and-conquer count and a
 * multiply-free "HAKMEM"-style octal method).  All methods are cross-checked
 * against each other; per-method totals and a checksum are printed.
 */
#include <stdio.h>
#include <stdint.h>

#define NUM_VALUES 200000
#define NUM_METHODS 7

typedef int (*count_fn)(uint32_t);

static unsigned char table8[256];
static const unsigned char table4[16] = {0, 1, 1, 2, 1, 2, 2, 3,
                                         1, 2, 2, 3, 2, 3, 3, 4};

static int count_shift(uint32_t x)
{
    int n = 0;
    while (x != 0) {
        n += (int)(x & 1u);
        x >>= 1;
    }
    return n;
}

static int count_kernighan(uint32_t x)
{
    int n = 0;
    while (x != 0) {
        x &= x - 1u;
        n++;
    }
    return n;
}

static void init_table8(void)
{
    int i;
    table8[0] = 0;
    for (i = 1; i < 256; i++)
        table8[i] = (unsigned char)((i & 1) + table8[i / 2]);
}

static int count_table8(uint32_t x)
{
    return table8[x & 0xFFu] + table8[(x >> 8) & 0xFFu] +
           table8[(x >> 16) & 0xFFu] + table8[x >> 24];
}

static int count_table4(uint32_t x)
{
    int n = 0, i;
    for (i = 0; i < 8; i++) {
        n += table4[x & 0xFu];
        x >>= 4;
    }
    return n;
}

static int count_swar(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0Fu;
    x = x + (x >> 8);
    x = x + (x >> 16);
    return (int)(x & 0x3Fu);
}

static int count_recursive_bits(uint32_t x, int width)
{
    uint32_t mask;
    int half;
    if (width == 1)
        return (int)(x & 1u);
    if (x == 0)
        return 0;
    half = width / 2;
    mask = (half == 32) ? 0xFFFFFFFFu : ((1u << half) - 1u);
    return count_recursive_bits(x & mask, half) +
           count_recursive_bits(x >> half, half);
}

static int count_recursive(uint32_t x)
{
    return count_recursive_bits(x, 32);
}

/* Classic octal-digit method: sum bits in groups of three, then modulo 63. */
static int count_octal(uint32_t x)
{
    uint32_t t = x - ((x >> 1) & 033333333333u) - ((x >> 2) & 011111111111u);
    return (int)(((t + (t >> 3)) & 030707070707u) % 63u);
}

static const count_fn methods[NUM_METHODS] = {
    count_shift,  count_kernighan, count_table8, count_table4,
    count_swar,   count_recursive, count_octal};

static const char *const method_names[NUM_METHODS] = {
    "shift", "kernighan", "table8", "table4", "swar", "recursive", "octal"};

static uint32_t seed = 0xC0FFEE11u;

static uint32_t next_value(int i)
{
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    /* Mix in sparse and dense words so that the data-dependent loops vary. */
    switch (i % 4) {
    case 0:
        return seed;
    case 1:
        return seed & (seed >> 3) & (seed >> 7);
    case 2:
        return seed | (seed << 5) | (seed >> 11);
    default:
        return (uint32_t)i * 0x01010101u;
    }
}

int main(void)
{
    long totals[NUM_METHODS] = {0};
    int histogram[33] = {0};
    uint32_t checksum = 0;
    int i, m, mismatches = 0;

    init_table8();
    for (i = 0; i < NUM_VALUES; i++) {
        uint32_t v = next_value(i);
        int ref = methods[0](v);
        for (m = 0; m < NUM_METHODS; m++) {
            int c = methods[m](v);
            totals[m] += c;
            if (c != ref)
                mismatches++;
        }
        histogram[ref]++;
        checksum = (checksum << 5 | checksum >> 27) ^ (uint32_t)ref ^ v;
    }

    for (m = 0; m < NUM_METHODS; m++)
        printf("%-10s %ld\n", method_names[m], totals[m]);
    printf("histogram:");
    for (i = 0; i <= 32; i += 4)
        printf(" %d", histogram[i]);
    printf("\n");
    printf("bitcount: values=%d checksum=%08x mismatches=%d\n", NUM_VALUES,
           (unsigned)checksum, mismatches);
    return mismatches == 0 ? 0 : 1;
}
