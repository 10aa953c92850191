/* cpd_report.c — report.html's frame: the head and style (screen and A4 print) and the header
 * every report starts with. */
#include "cpd_report.h"

#include "cpd_out.h"

#include <string.h>

#ifndef CPD_VERSION
#define CPD_VERSION "unknown"
#endif

/* Print: A4 pages, headings kept with what follows, no row, chart or register cut in two, the
 * table heads repeated on each page, each register on a page of its own. */
static const char style[] =
    "*{box-sizing:border-box}\n"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#222;"
    "max-width:1120px;margin:0 auto;padding:1.2em 1.5em}\n"
    "header{border-bottom:3px solid #4a78b0;margin-bottom:1em}\n"
    "h1{font-size:1.6em;margin:.2em 0 .1em}h1 small{display:block;font-size:.55em;color:#555;"
    "font-weight:normal;text-transform:uppercase;letter-spacing:.06em}\n"
    "h2{font-size:1.3em;margin:1.6em 0 .5em;border-bottom:1px solid #ccc;padding-bottom:.1em}\n"
    "h3{font-size:1.05em;margin:1.2em 0 .4em}\n"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1.2em;margin:.5em 0 1em}"
    "dl.facts dt{font-weight:600;color:#555}dl.facts dd{margin:0}\n"
    "nav ol{margin:.3em 0;padding-left:1.4em;columns:2 18em}\n"
    "table{border-collapse:collapse;margin:.4em 0 1.2em;font-size:.95em}\n"
    "th,td{border:1px solid #c8c8c8;padding:.2em .5em;text-align:left;vertical-align:top}\n"
    "th{background:#eef1f5}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "table.grid{table-layout:fixed;width:100%}table.grid th:first-child{width:3.5em}\n"
    "table.grid td{font-size:.85em;line-height:1.3}\n"
    "td.away{background:#f3dede;color:#844}td.busy{background:#e3ecf7}\n"
    "td.off{color:#aaa}\n"
    ".late,.bad{color:#b02a1e;font-weight:600}.muted{color:#777}\n"
    "p.figures{font-size:1.05em}\n"
    "svg.chart{display:block;max-width:100%;height:auto;margin:.3em 0 1em}\n"
    ".legend{font-size:.9em;color:#444}.legend i{display:inline-block;width:.9em;height:.9em;"
    "vertical-align:-.1em;margin:0 .3em 0 .9em}\n"
    ".register{margin-top:2em}.register table{width:100%}.register td{height:2em}"
    ".register td.sign{width:40%}.register td.no{width:3em}\n"
    "@media print{@page{size:A4;margin:14mm 12mm}\n"
    "body{max-width:none;padding:0;font-size:10pt}nav{display:none}\n"
    "h2,h3{break-after:avoid;page-break-after:avoid}\n"
    "tr,svg,dl,.keep{break-inside:avoid;page-break-inside:avoid}\n"
    "thead{display:table-header-group}\n"
    ".register{break-before:page;page-break-before:always;margin-top:0}\n"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "a{color:inherit;text-decoration:none}}\n";

/* ---- local ---- */

static const char *status_words(const char *status)
{
    if (strcmp(status, "optimal") == 0)
        return "optimal: the best plan there is, proven";
    if (strcmp(status, "feasible") == 0)
        return "feasible: a good plan, not proven the best in the time allowed";
    return "no plan: nothing could be placed";
}

static void fact(FILE *f, const char *term) { fprintf(f, "<dt>%s</dt><dd>", term); }

static void solver_facts(FILE *f, const cJSON *sum)
{
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(sum, "objective");
    const cJSON *bound = cJSON_GetObjectItemCaseSensitive(sum, "bound");
    const cJSON *gap = cJSON_GetObjectItemCaseSensitive(sum, "gap");
    fact(f, "Solver");
    cpd_html(f, status_words(cpd_report_str(sum, "status")));
    fputs("</dd>\n", f);
    fact(f, "Objective");
    if (cJSON_IsNumber(obj))
        fprintf(f, "%.10g", obj->valuedouble);
    else
        fputs("none", f);
    if (cJSON_IsNumber(bound))
        fprintf(f, " (best possible: %.10g)", bound->valuedouble);
    fputs("</dd>\n", f);
    fact(f, "Proven gap");
    if (cJSON_IsNumber(gap))
        fprintf(f, "%.2f%%%s", 100 * gap->valuedouble,
                gap->valuedouble == 0 ? " (nothing better can exist)" : "");
    else
        fputs("not known (no bound was proven)", f);
    fputs("</dd>\n", f);
    /* its own line: the one line of the page that differs between two runs */
    double secs = cpd_report_num(sum, "seconds");
    if (secs < 0.005)
        fputs("<dt>Time taken</dt>\n<dd class=\"secs\">under 0.01 s</dd>\n", f);
    else
        fprintf(f, "<dt>Time taken</dt>\n<dd class=\"secs\">%.2f s</dd>\n", secs);
}

/* ---- interface ---- */

double cpd_report_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

const char *cpd_report_str(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
    return s ? s : "";
}

void cpd_report_begin(FILE *f, const char *kind, const cJSON *summary)
{
    const char *name = cpd_report_str(summary, "scenario");
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
          f);
    cpd_html(f, kind);
    fputs(": ", f);
    cpd_html(f, name);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head><body>\n<header>\n<h1><small>", style);
    cpd_html(f, kind);
    fputs("</small>", f);
    cpd_html(f, *name ? name : "(scenario without a name)");
    fputs("</h1>\n<dl class=\"facts\">\n", f);
    fact(f, "Made by");
    fputs("cpdplan " CPD_VERSION ". No clock time is written, so the same files give the same "
          "report; the file&#8217;s own date says when it was made.</dd>\n",
          f);
    solver_facts(f, summary);
    fputs("</dl>\n</header>\n", f);
}

void cpd_report_nav(FILE *f, const char *const items[][2], int n)
{
    fputs("<nav><b>Contents</b>\n<ol>\n", f);
    for (int i = 0; i < n; i++) {
        fprintf(f, "<li><a href=\"#%s\">", items[i][0]);
        cpd_html(f, items[i][1]);
        fputs("</a></li>\n", f);
    }
    fputs("</ol>\n</nav>\n", f);
}

void cpd_report_end(FILE *f) { fputs("</body></html>\n", f); }

void cpd_report_section(FILE *f, const char *id, const char *title)
{
    fprintf(f, "<section id=\"%s\">\n<h2>", id);
    cpd_html(f, title);
    fputs("</h2>\n", f);
}

void cpd_report_section_end(FILE *f) { fputs("</section>\n", f); }
