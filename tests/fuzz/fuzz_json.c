/* fuzz_json.c — libFuzzer target: scenario.json read by cpd_json_read_scenario (syntax, types,
 * ranges and the positions its messages give), and the key finder on the same text. */
#include "cpd_json.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"scenario.json"};
    const char *dir = fuzz_write_folder(data, size, names, 1);
    char path[128];
    snprintf(path, sizeof path, "%s/scenario.json", dir);
    cpd_diags *d = cpd_diags_new();
    cpd_scenario *s = cpd_scenario_new();
    cpd_json_read_scenario(path, "scenario.json", s, d);
    cpd_scenario_free(&s);
    fuzz_diags_done(&d);
    /* the position helpers on the raw text, NUL-terminated */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    size_t len = strlen(text);
    size_t bom = cpd_json_bom(text, len);
    int line, col;
    cpd_json_key_pos(text + bom, "deploy.need_hours.light", &line, &col);
    cpd_json_value_pos(text + bom, "inset.times", "09:00-10:00", &line, &col);
    cpd_json_line_at(text, len, &col);
    free(text);
    return 0;
}
