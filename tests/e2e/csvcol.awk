# csvcol.awk — prints the named columns of a CSV file (RFC 4180 quoting, one record per line),
# tab-separated, header row excluded: awk -v cols=teacher,need -f csvcol.awk FILE
# A missing column prints "?" in its place, so a test can tell it from an empty cell.

function split_csv(line, out,    n, i, c, field, inq) {
    n = 0; field = ""; inq = 0
    sub(/\r$/, "", line)
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (inq) {
            if (c == "\"") {
                if (substr(line, i + 1, 1) == "\"") { field = field "\""; i++ }
                else inq = 0
            } else field = field c
        } else if (c == "\"") inq = 1
        else if (c == ",") { out[++n] = field; field = "" }
        else field = field c
    }
    out[++n] = field
    return n
}

NR == 1 {
    sub(/^\357\273\277/, "")
    nh = split_csv($0, head)
    nc = split(cols, want, ",")
    for (k = 1; k <= nc; k++) {
        idx[k] = 0
        for (j = 1; j <= nh; j++) if (head[j] == want[k]) idx[k] = j
    }
    next
}
{
    n = split_csv($0, f)
    line = ""
    for (k = 1; k <= nc; k++) {
        v = idx[k] ? (idx[k] <= n ? f[idx[k]] : "") : "?"
        line = line (k > 1 ? "\t" : "") v
    }
    print line
}
