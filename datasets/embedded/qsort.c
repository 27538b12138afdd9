/*
 * qsort.c - PassGym embedded benchmark.
 *
 * Generates a deterministic array of records and sorts copies of it in two
 * ways: with the C library qsort() and a comparator, and with a hand-written
 * quicksort / insertion-sort hybrid.  Both results are verified to be sorted
 * and identical, then a checksum over the sorted order is printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define NUM_RECORDS 40000
#define INSERTION_CUTOFF 12
#define ROUNDS 3

typedef struct {
    uint32_t key;
    uint32_t id;
    int32_t score;
    char tag[8];
} Record;

static uint32_t rng_state = 0x12345678u;

static uint32_t xorshift32(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

static void make_tag(char *tag, uint32_t v)
{
    int i;
    for (i = 0; i < 7; i++) {
        tag[i] = (char)('a' + (v % 26u));
        v /= 26u;
    }
    tag[7] = '\0';
}

static void generate(Record *recs, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        uint32_t r = xorshift32();
        /* Restrict the key range so that many duplicates exist. */
        recs[i].key = r % 5000u;
        recs[i].id = (uint32_t)i;
        recs[i].score = (int32_t)(xorshift32() % 20001u) - 10000;
        make_tag(recs[i].tag, xorshift32());
    }
}

/* Total order: key ascending, then tag ascending, then id ascending. */
static int record_cmp(const Record *a, const Record *b)
{
    int c;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    c = strcmp(a->tag, b->tag);
    if (c != 0)
        return c < 0 ? -1 : 1;
    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return 0;
}

static int qsort_cmp(const void *pa, const void *pb)
{
    return record_cmp((const Record *)pa, (const Record *)pb);
}

static void swap_rec(Record *a, Record *b)
{
    Record t = *a;
    *a = *b;
    *b = t;
}

static void insertion_sort(Record *a, long lo, long hi)
{
    long i, j;
    for (i = lo + 1; i <= hi; i++) {
        Record v = a[i];
        j = i - 1;
        while (j >= lo && record_cmp(&a[j], &v) > 0) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static long median_of_three(Record *a, long lo, long hi)
{
    long mid = lo + (hi - lo) / 2;
    if (record_cmp(&a[mid], &a[lo]) < 0)
        swap_rec(&a[mid], &a[lo]);
    if (record_cmp(&a[hi], &a[lo]) < 0)
        swap_rec(&a[hi], &a[lo]);
    if (record_cmp(&a[hi], &a[mid]) < 0)
        swap_rec(&a[hi], &a[mid]);
    return mid;
}

/* Hoare-style partition around the median-of-three pivot. */
static long partition(Record *a, long lo, long hi)
{
    long m = median_of_three(a, lo, hi);
    Record pivot = a[m];
    long i = lo - 1;
    long j = hi + 1;
    for (;;) {
        do {
            i++;
        } while (record_cmp(&a[i], &pivot) < 0);
        do {
            j--;
        } while (record_cmp(&a[j], &pivot) > 0);
        if (i >= j)
            return j;
        swap_rec(&a[i], &a[j]);
    }
}

static void hybrid_sort(Record *a, long lo, long hi)
{
    /* Recurse on the smaller half, loop on the larger one. */
    while (hi - lo + 1 > INSERTION_CUTOFF) {
        long p = partition(a, lo, hi);
        if (p - lo < hi - p) {
            hybrid_sort(a, lo, p);
            lo = p + 1;
        } else {
            hybrid_sort(a, p + 1, hi);
            hi = p;
        }
    }
    insertion_sort(a, lo, hi);
}

static int is_sorted(const Record *a, size_t n)
{
    size_t i;
    for (i = 1; i < n; i++)
        if (record_cmp(&a[i - 1], &a[i]) > 0)
            return 0;
    return 1;
}

static uint32_t checksum(const Record *a, size_t n)
{
    uint32_t h = 2166136261u;
    size_t i;
    int k;
    for (i = 0; i < n; i++) {
        h = (h ^ a[i].id) * 16777619u;
        h = (h ^ (uint32_t)a[i].score) * 16777619u;
        for (k = 0; k < 7; k++)
            h = (h ^ (uint32_t)(unsigned char)a[i].tag[k]) * 16777619u;
    }
    return h;
}

int main(void)
{
    Record *orig = malloc(NUM_RECORDS * sizeof(Record));
    Record *lib = malloc(NUM_RECORDS * sizeof(Record));
    Record *mine = malloc(NUM_RECORDS * sizeof(Record));
    uint32_t total = 0;
    long long score_sum = 0;
    int round, ok = 1;
    size_t i;

    if (!orig || !lib || !mine) {
        printf("allocation failed\n");
        return 1;
    }

    for (round = 0; round < ROUNDS; round++) {
        generate(orig, NUM_RECORDS);
        memcpy(lib, orig, NUM_RECORDS * sizeof(Record));
        memcpy(mine, orig, NUM_RECORDS * sizeof(Record));

        qsort(lib, NUM_RECORDS, sizeof(Record), qsort_cmp);
        hybrid_sort(mine, 0, NUM_RECORDS - 1);

        if (!is_sorted(lib, NUM_RECORDS) || !is_sorted(mine, NUM_RECORDS))
            ok = 0;
        for (i = 0; i < NUM_RECORDS; i++)
            if (lib[i].id != mine[i].id)
                ok = 0;
        total = total * 31u + checksum(mine, NUM_RECORDS);
        for (i = 0; i < NUM_RECORDS; i += 1000)
            score_sum += mine[i].score;
    }

    printf("qsort: records=%d rounds=%d agree=%s\n", NUM_RECORDS, ROUNDS,
           ok ? "yes" : "no");
    printf("first=%u/%s last=%u/%s\n", (unsigned)mine[0].key, mine[0].tag,
           (unsigned)mine[NUM_RECORDS - 1].key, mine[NUM_RECORDS - 1].tag);
    printf("checksum=%08x sample_score_sum=%lld\n", (unsigned)total, score_sum);

    free(orig);
    free(lib);
    free(mine);
    return ok ? 0 : 1;
}
