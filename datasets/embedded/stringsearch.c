/*
 * stringsearch.c - PassGym embedded benchmark.
 *
 * Generates a deterministic pseudo-English text from a small word list and
 * searches it for a set of patterns (words, phrases cut from the text and
 * strings that do not occur) using Boyer-Moore-Horspool and a naive search.
 * Match counts and first positions of both methods are cross-checked and a
 * summary is printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define TEXT_SIZE (512 * 1024)
#define NUM_CUT_PATTERNS 40
#define MAX_PATTERN 48

static const char *const words[] = {
    "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog",
    "compiler", "pass", "order", "loop", "vector", "inline", "memory",
    "register", "branch", "value", "number", "search", "string", "table",
    "of", "and", "a", "in", "to", "is", "that", "for", "with", "as"};
#define NUM_WORDS ((int)(sizeof(words) / sizeof(words[0])))

static const char *const fixed_patterns[] = {
    "the", "compiler", "loop vector", "pass order", "zebra", "xyzzy",
    "a", "and the", "inline memory", "string search table", "dog.", "of a"};
#define NUM_FIXED ((int)(sizeof(fixed_patterns) / sizeof(fixed_patterns[0])))

typedef struct {
    long count;
    long first;
} SearchResult;

static uint32_t rng_state = 0xA5A5F00Du;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static size_t generate_text(char *text, size_t cap)
{
    size_t len = 0;
    int words_in_sentence = 0;
    while (len + 16 < cap) {
        const char *w = words[rng() % (uint32_t)NUM_WORDS];
        size_t wl = strlen(w);
        memcpy(text + len, w, wl);
        len += wl;
        words_in_sentence++;
        if (words_in_sentence > 4 && rng() % 8u == 0) {
            text[len++] = '.';
            words_in_sentence = 0;
        }
        text[len++] = ' ';
    }
    text[len] = '\0';
    return len;
}

static SearchResult naive_search(const char *text, size_t n, const char *pat,
                                 size_t m)
{
    SearchResult r = {0, -1};
    size_t i, j;
    if (m == 0 || m > n)
        return r;
    for (i = 0; i + m <= n; i++) {
        for (j = 0; j < m; j++)
            if (text[i + j] != pat[j])
                break;
        if (j == m) {
            if (r.first < 0)
                r.first = (long)i;
            r.count++;
        }
    }
    return r;
}

static void bmh_prepare(const char *pat, size_t m, size_t shift[256])
{
    size_t i;
    for (i = 0; i < 256; i++)
        shift[i] = m;
    for (i = 0; i + 1 < m; i++)
        shift[(unsigned char)pat[i]] = m - 1 - i;
}

static SearchResult bmh_search(const char *text, size_t n, const char *pat,
                               size_t m)
{
    SearchResult r = {0, -1};
    size_t shift[256];
    size_t pos = 0;
    if (m == 0 || m > n)
        return r;
    bmh_prepare(pat, m, shift);
    while (pos + m <= n) {
        size_t j = m - 1;
        unsigned char last = (unsigned char)text[pos + m - 1];
        if (last == (unsigned char)pat[m - 1]) {
            while (j > 0 && text[pos + j - 1] == pat[j - 1])
                j--;
            if (j == 0) {
                if (r.first < 0)
                    r.first = (long)pos;
                r.count++;
            }
        }
        pos += shift[last];
    }
    return r;
}

static uint32_t fold(uint32_t h, const SearchResult *r)
{
    h = h * 2654435761u + (uint32_t)r->count;
    h = h * 2654435761u + (uint32_t)(r->first + 1);
    return h;
}

int main(void)
{
    char *text = malloc(TEXT_SIZE);
    char pat[MAX_PATTERN + 1];
    size_t n;
    long total_matches = 0;
    uint32_t h = 0;
    int i, mismatches = 0, npat = 0;

    if (!text) {
        printf("allocation failed\n");
        return 1;
    }
    n = generate_text(text, TEXT_SIZE);

    for (i = 0; i < NUM_FIXED + NUM_CUT_PATTERNS; i++) {
        SearchResult a, b;
        size_t m;
        if (i < NUM_FIXED) {
            strcpy(pat, fixed_patterns[i]);
        } else {
            /* Cut a pattern of 3..MAX_PATTERN characters out of the text. */
            size_t len = 3 + rng() % (MAX_PATTERN - 2);
            size_t start = rng() % (uint32_t)(n - len);
            memcpy(pat, text + start, len);
            pat[len] = '\0';
        }
        m = strlen(pat);
        a = bmh_search(text, n, pat, m);
        b = naive_search(text, n, pat, m);
        if (a.count != b.count || a.first != b.first)
            mismatches++;
        total_matches += a.count;
        h = fold(h, &a);
        npat++;
        if (i < NUM_FIXED)
            printf("%-22s count=%-6ld first=%ld\n", pat, a.count, a.first);
    }

    printf("stringsearch: text=%lu patterns=%d matches=%ld hash=%08x "
           "mismatches=%d\n",
           (unsigned long)n, npat, total_matches, (unsigned)h, mismatches);
    free(text);
    return mismatches == 0 ? 0 : 1;
}
