/* json_shape.c — checks a JSON document against a documented shape, for the end-to-end tests:
 *   json_shape SPEC FILE
 * SPEC holds one "PATH TYPE" a line: PATH is keys joined by '.', "[]" after a key meaning every
 * element of that array ("workshops[].runs[].slot"); TYPE is string, number, integer, boolean,
 * object or array, with "|null" when null is allowed. Fails (exit 1, each reason on stderr)
 * when a documented key is missing or has another type, or when the document holds a key the
 * spec does not list. Prints "N keys checked" on success; exit 2 on bad usage or unreadable
 * files. */
#include <cJSON.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SPEC 512

typedef struct {
    char path[256];
    char type[32];
} spec_line;

static spec_line spec[MAX_SPEC];
static int nspec, problems, checked;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *b = realloc(buf, (cap *= 2) + 1);
            if (!b)
                free(buf);
            buf = b;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static bool type_ok(const cJSON *v, const char *type)
{
    char t[32];
    snprintf(t, sizeof t, "%s", type);
    char *bar = strchr(t, '|');
    if (bar) {
        *bar = '\0';
        if (strcmp(bar + 1, "null") == 0 && cJSON_IsNull(v))
            return true;
    }
    if (strcmp(t, "string") == 0)
        return cJSON_IsString(v);
    if (strcmp(t, "number") == 0)
        return cJSON_IsNumber(v);
    if (strcmp(t, "integer") == 0)
        return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble);
    if (strcmp(t, "boolean") == 0)
        return cJSON_IsBool(v);
    if (strcmp(t, "object") == 0)
        return cJSON_IsObject(v);
    if (strcmp(t, "array") == 0)
        return cJSON_IsArray(v);
    return false;
}

/* The documented path rest (from node), for every array element on the way. */
static void check_path(const cJSON *node, const char *rest, const spec_line *s)
{
    char key[256];
    size_t n = strcspn(rest, ".");
    snprintf(key, sizeof key, "%.*s", (int)n, rest);
    bool each = n >= 2 && strcmp(key + n - 2, "[]") == 0;
    if (each)
        key[n - 2] = '\0';
    const cJSON *v = cJSON_IsObject(node) ? cJSON_GetObjectItemCaseSensitive(node, key) : NULL;
    if (!v) {
        fprintf(stderr, "%s: missing\n", s->path);
        problems++;
        return;
    }
    if (each && !cJSON_IsArray(v)) {
        fprintf(stderr, "%s: '%s' is not an array\n", s->path, key);
        problems++;
        return;
    }
    if (rest[n] == '\0') {
        checked++;
        if (!type_ok(v, s->type)) {
            fprintf(stderr, "%s: not %s\n", s->path, s->type);
            problems++;
        }
        return;
    }
    if (!each) {
        check_path(v, rest + n + 1, s);
        return;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, v) check_path(e, rest + n + 1, s);
}

static bool documented(const char *path)
{
    for (int i = 0; i < nspec; i++)
        if (strcmp(spec[i].path, path) == 0)
            return true;
    return false;
}

/* Every key under node, at path prefix, must be documented. */
static void check_known(const cJSON *node, const char *prefix)
{
    const cJSON *v;
    char path[512];
    if (cJSON_IsArray(node)) {
        cJSON_ArrayForEach(v, node) check_known(v, prefix);
        return;
    }
    if (!cJSON_IsObject(node))
        return;
    cJSON_ArrayForEach(v, node)
    {
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", v->string);
        if (!documented(path)) {
            fprintf(stderr, "%s: not documented\n", path);
            problems++;
        }
        if (cJSON_IsArray(v)) {
            strncat(path, "[]", sizeof path - strlen(path) - 1);
            check_known(v, path);
        } else {
            check_known(v, path);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: json_shape SPEC FILE\n");
        return 2;
    }
    FILE *sf = fopen(argv[1], "r");
    char *text = slurp(argv[2]);
    if (!sf || !text) {
        fprintf(stderr, "json_shape: cannot read %s\n", sf ? argv[2] : argv[1]);
        return 2;
    }
    char line[512];
    while (fgets(line, sizeof line, sf) && nspec < MAX_SPEC)
        if (sscanf(line, "%255s %31s", spec[nspec].path, spec[nspec].type) == 2)
            nspec++;
    fclose(sf);
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!cJSON_IsObject(root) || nspec == 0) {
        fprintf(stderr, "json_shape: %s\n", root ? "an empty spec" : "not JSON");
        cJSON_Delete(root);
        return 1;
    }
    for (int i = 0; i < nspec; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s", spec[i].path);
        check_path(root, path, &spec[i]);
    }
    check_known(root, "");
    cJSON_Delete(root);
    if (problems)
        return 1;
    printf("%d keys checked\n", checked);
    return 0;
}
