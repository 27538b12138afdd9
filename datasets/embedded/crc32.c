/*
 * crc32.c - PassGym embedded benchmark.
 *
 * Computes the reflected CRC-32 (polynomial 0xEDB88320, as used by zlib,
 * PNG and Ethernet) over deterministically generated buffers.  A byte-wise
 * table-driven implementation, a slicing-by-4 implementation and a bitwise
 * reference are cross-checked, and the standard check value for the string
 * "123456789" (0xCBF43926) is verified.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define BUF_SIZE (1u << 20)
#define NUM_BUFFERS 4
#define POLY 0xEDB88320u

static uint32_t table[4][256];

typedef struct {
    uint32_t s[4];
} Rng;

static uint32_t rng_next(Rng *r)
{
    /* xorshift128 */
    uint32_t t = r->s[3];
    uint32_t s = r->s[0];
    r->s[3] = r->s[2];
    r->s[2] = r->s[1];
    r->s[1] = s;
    t ^= t << 11;
    t ^= t >> 8;
    r->s[0] = t ^ s ^ (s >> 19);
    return r->s[0];
}

static void build_tables(void)
{
    uint32_t i, c;
    int k;
    for (i = 0; i < 256; i++) {
        c = i;
        for (k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ POLY : c >> 1;
        table[0][i] = c;
    }
    for (i = 0; i < 256; i++) {
        c = table[0][i];
        for (k = 1; k < 4; k++) {
            c = table[0][c & 0xFFu] ^ (c >> 8);
            table[k][i] = c;
        }
    }
}

static uint32_t crc32_bitwise(const unsigned char *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    size_t i;
    int k;
    for (i = 0; i < n; i++) {
        crc ^= p[i];
        for (k = 0; k < 8; k++) {
            uint32_t mask = 0u - (crc & 1u);
            crc = (crc >> 1) ^ (POLY & mask);
        }
    }
    return ~crc;
}

static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
    size_t i;
    crc = ~crc;
    for (i = 0; i < n; i++)
        crc = table[0][(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

static uint32_t crc32_slice4(const unsigned char *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    while (n >= 4) {
        uint32_t w = (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
                     ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
        crc ^= w;
        crc = table[3][crc & 0xFFu] ^ table[2][(crc >> 8) & 0xFFu] ^
              table[1][(crc >> 16) & 0xFFu] ^ table[0][crc >> 24];
        p += 4;
        n -= 4;
    }
    while (n-- > 0)
        crc = table[0][(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

static void fill_buffer(Rng *r, unsigned char *buf, size_t n, int kind)
{
    size_t i;
    switch (kind) {
    case 0: /* uniformly random bytes */
        for (i = 0; i < n; i++)
            buf[i] = (unsigned char)(rng_next(r) >> 24);
        break;
    case 1: /* text-like: lowercase letters and spaces */
        for (i = 0; i < n; i++) {
            uint32_t v = rng_next(r) % 32u;
            buf[i] = (unsigned char)(v < 26u ? 'a' + v : ' ');
        }
        break;
    case 2: /* long runs of repeated bytes */
        i = 0;
        while (i < n) {
            size_t run = 1 + rng_next(r) % 64u;
            unsigned char b = (unsigned char)rng_next(r);
            while (run-- > 0 && i < n)
                buf[i++] = b;
        }
        break;
    default: /* ramp */
        for (i = 0; i < n; i++)
            buf[i] = (unsigned char)(i * 7u + (i >> 9));
        break;
    }
}

int main(void)
{
    static const char check_str[] = "123456789";
    unsigned char *buf = malloc(BUF_SIZE);
    Rng r = {{0x01234567u, 0x89ABCDEFu, 0xDEADBEEFu, 0x0BADF00Du}};
    uint32_t check, combined = 0, chunked;
    int b, errors = 0;
    size_t off;

    if (!buf) {
        printf("allocation failed\n");
        return 1;
    }
    build_tables();

    check = crc32_update(0, (const unsigned char *)check_str, strlen(check_str));
    if (check != 0xCBF43926u ||
        crc32_bitwise((const unsigned char *)check_str, 9) != check ||
        crc32_slice4((const unsigned char *)check_str, 9) != check)
        errors++;
    printf("crc32(\"123456789\") = %08x (%s)\n", (unsigned)check,
           check == 0xCBF43926u ? "ok" : "BAD");

    for (b = 0; b < NUM_BUFFERS; b++) {
        uint32_t c1, c2, c3;
        fill_buffer(&r, buf, BUF_SIZE, b);
        c1 = crc32_update(0, buf, BUF_SIZE);
        c2 = crc32_slice4(buf, BUF_SIZE);
        /* The bitwise reference is slow: check it on a prefix only. */
        c3 = crc32_bitwise(buf, 4096 + 3);
        if (c1 != c2 || c3 != crc32_update(0, buf, 4096 + 3))
            errors++;
        /* Incremental updates over odd-sized chunks must agree too. */
        chunked = 0;
        for (off = 0; off < BUF_SIZE; off += 1000) {
            size_t len = BUF_SIZE - off < 1000 ? BUF_SIZE - off : 1000;
            chunked = crc32_update(chunked, buf + off, len);
        }
        if (chunked != c1)
            errors++;
        printf("buffer %d: crc32=%08x\n", b, (unsigned)c1);
        combined ^= c1 + (uint32_t)b * 0x9E3779B9u;
    }

    printf("crc32: buffers=%d bytes=%u combined=%08x errors=%d\n",
           NUM_BUFFERS, (unsigned)BUF_SIZE, (unsigned)combined, errors);
    free(buf);
    return errors == 0 ? 0 : 1;
}
