/*
 * sha256.c - PassGym embedded benchmark.
 *
 * A straightforward implementation of SHA-256 (FIPS 180-4).  It first checks
 * the standard test vectors ("abc" and the empty string), prints the digest of
 * "abc", then hashes a series of deterministically generated buffers, both
 * in one call and in irregular incremental pieces, and prints a digest that
 * chains all of the results together.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define NUM_BUFFERS 24
#define BUF_SIZE (64u * 1024u)

typedef struct {
    uint32_t state[8];
    uint64_t bit_len;
    unsigned char block[64];
    size_t block_used;
} Sha256;

static const uint32_t K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u,
    0x923f82a4u, 0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u,
    0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u,
    0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u,
    0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u,
    0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au,
    0x5b9cca4fu, 0x682e6ff3u, 0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u};

static uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32u - n));
}

static void sha256_init(Sha256 *c)
{
    c->state[0] = 0x6a09e667u;
    c->state[1] = 0xbb67ae85u;
    c->state[2] = 0x3c6ef372u;
    c->state[3] = 0xa54ff53au;
    c->state[4] = 0x510e527fu;
    c->state[5] = 0x9b05688cu;
    c->state[6] = 0x1f83d9abu;
    c->state[7] = 0x5be0cd19u;
    c->bit_len = 0;
    c->block_used = 0;
}

static void sha256_compress(uint32_t st[8], const unsigned char blk[64])
{
    uint32_t w[64];
    uint32_t a, b, c, d, e, f, g, h;
    int i;

    for (i = 0; i < 16; i++)
        w[i] = ((uint32_t)blk[4 * i] << 24) | ((uint32_t)blk[4 * i + 1] << 16) |
               ((uint32_t)blk[4 * i + 2] << 8) | (uint32_t)blk[4 * i + 3];
    for (i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }

    a = st[0]; b = st[1]; c = st[2]; d = st[3];
    e = st[4]; f = st[5]; g = st[6]; h = st[7];
    for (i = 0; i < 64; i++) {
        uint32_t S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = h + S1 + ch + K[i] + w[i];
        uint32_t S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = S0 + maj;
        h = g; g = f; f = e;
        e = d + t1;
        d = c; c = b; b = a;
        a = t1 + t2;
    }
    st[0] += a; st[1] += b; st[2] += c; st[3] += d;
    st[4] += e; st[5] += f; st[6] += g; st[7] += h;
}

static void sha256_update(Sha256 *c, const unsigned char *data, size_t n)
{
    c->bit_len += (uint64_t)n * 8u;
    while (n > 0) {
        size_t take = 64 - c->block_used;
        if (take > n)
            take = n;
        memcpy(c->block + c->block_used, data, take);
        c->block_used += take;
        data += take;
        n -= take;
        if (c->block_used == 64) {
            sha256_compress(c->state, c->block);
            c->block_used = 0;
        }
    }
}

static void sha256_final(Sha256 *c, unsigned char out[32])
{
    uint64_t len = c->bit_len;
    int i;
    c->block[c->block_used++] = 0x80;
    if (c->block_used > 56) {
        memset(c->block + c->block_used, 0, 64 - c->block_used);
        sha256_compress(c->state, c->block);
        c->block_used = 0;
    }
    memset(c->block + c->block_used, 0, 56 - c->block_used);
    for (i = 0; i < 8; i++)
        c->block[56 + i] = (unsigned char)(len >> (56 - 8 * i));
    sha256_compress(c->state, c->block);
    for (i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(c->state[i] >> 24);
        out[4 * i + 1] = (unsigned char)(c->state[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c->state[i] >> 8);
        out[4 * i + 3] = (unsigned char)c->state[i];
    }
}

static void sha256(const unsigned char *data, size_t n, unsigned char out[32])
{
    Sha256 c;
    sha256_init(&c);
    sha256_update(&c, data, n);
    sha256_final(&c, out);
}

static void to_hex(const unsigned char *d, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    int i;
    for (i = 0; i < 32; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = '\0';
}

static uint32_t lcg_state = 2463534242u;

static unsigned char next_byte(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return (unsigned char)(lcg_state >> 24);
}

int main(void)
{
    static const char abc_expect[] =
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static const char empty_expect[] =
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    unsigned char digest[32], digest2[32], chain[32];
    char hex[65];
    unsigned char *buf = malloc(BUF_SIZE);
    int i, errors = 0;

    if (!buf) {
        printf("allocation failed\n");
        return 1;
    }

    sha256((const unsigned char *)"abc", 3, digest);
    to_hex(digest, hex);
    printf("sha256(\"abc\") = %s (%s)\n", hex,
           strcmp(hex, abc_expect) == 0 ? "ok" : "BAD");
    if (strcmp(hex, abc_expect) != 0)
        errors++;
    sha256((const unsigned char *)"", 0, digest);
    to_hex(digest, hex);
    if (strcmp(hex, empty_expect) != 0)
        errors++;

    memset(chain, 0, sizeof chain);
    for (i = 0; i < NUM_BUFFERS; i++) {
        Sha256 c;
        size_t j, off, len = BUF_SIZE - (size_t)i * 1237u;
        for (j = 0; j < len; j++)
            buf[j] = next_byte();
        sha256(buf, len, digest);

        /* Hash again in irregular pieces; the digest must not change. */
        sha256_init(&c);
        off = 0;
        j = 1;
        while (off < len) {
            size_t piece = (j * 37u) % 300u;
            if (piece > len - off)
                piece = len - off;
            sha256_update(&c, buf + off, piece);
            off += piece;
            j++;
        }
        sha256_final(&c, digest2);
        if (memcmp(digest, digest2, 32) != 0)
            errors++;

        /* chain = sha256(chain || digest) */
        sha256_init(&c);
        sha256_update(&c, chain, 32);
        sha256_update(&c, digest, 32);
        sha256_final(&c, chain);
    }
    to_hex(chain, hex);
    printf("sha256: buffers=%d chain=%s errors=%d\n", NUM_BUFFERS, hex, errors);
    free(buf);
    return errors == 0 ? 0 : 1;
}
