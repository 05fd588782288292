package org.engram.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The static HTML index of a results folder ({@code engram report}): filters by job, tag and status, a summary table
 * of every run (with its name and tags), a compare view that sets two runs of one job side by side (and links to the
 * pages {@code engram compare} wrote), then per run its job, date, config hash, code version, status, name, tags,
 * note, overrides, counts and failures, links to its tables, notebook and manifest, and its figures as thumbnails
 * that open full size; nightly change reports (Markdown) rendered at the end, linked from the runs they
 * cover. Links are relative to the report, so the folder can be copied or served as it is. A small script marks an
 * image that did not load (and records each image's natural width on it).
 */
public final class Report {
    /** The report's file name in the results folder. */
    public static final String FILE = "index.html";
    private static final List<org.commonmark.Extension> MARKDOWN = List.of(TablesExtension.create());

    /**
     * One run folder.
     *
     * @param path     the folder relative to the report, e.g. {@code rnn.reinforcement.quick/20261203-…}
     * @param manifest its manifest.json, or null for a folder without one (a run that did not finish)
     * @param failures the first rows of its failures.csv, as text (table, cell, trials, failed, first failure)
     * @param overrides what it overrode, one line each (its --sets, the settings that differ from its conf)
     */
    public record Run(String path, JsonNode manifest, List<String> failures, List<String> overrides) {
        String job() {
            return manifest != null ? manifest.path("job").asText() : "";
        }

        List<String> tags() {
            List<String> t = new ArrayList<>();
            if (manifest != null) {
                manifest.path("tags").forEach(x -> t.add(x.asText()));
            }
            return t;
        }

        String status() {
            return manifest != null ? manifest.path("status").asText() : "incomplete";
        }

        String sweep() {
            return manifest != null ? manifest.path("sweep").asText() : path.substring(0, path.indexOf('/'));
        }

        String runId() {
            return manifest != null ? manifest.path("run_id").asText() : path.substring(path.indexOf('/') + 1);
        }

        String anchor() {
            return "run-" + path.replaceAll("[^A-Za-z0-9_-]", "-");
        }
    }

    /** A nightly change report: its stamp (the runs' id is {@code nightly-<stamp>}), path and Markdown. */
    public record Nightly(String stamp, String path, String markdown) {
        String anchor() {
            return "nightly-" + stamp;
        }
    }

    private Report() {
    }

    public static String html(String title, List<Run> runs, List<Nightly> nightlies, Instant generated) {
        return html(title, runs, nightlies, List.of(), generated);
    }

    /** The page; {@code comparisons} are the compare pages found (relative paths), listed and linked. */
    public static String html(String title, List<Run> runs, List<Nightly> nightlies, List<String> comparisons,
                              Instant generated) {
        Document doc = Document.createShell("");
        doc.head().appendElement("meta").attr("charset", "utf-8");
        doc.head().appendElement("meta").attr("name", "viewport").attr("content", "width=device-width");
        doc.head().appendElement("title").text(title);
        doc.head().appendElement("style").appendChild(new org.jsoup.nodes.DataNode(CSS));
        Element body = doc.body();
        body.appendElement("h1").text(title);
        body.appendElement("p").text(String.format(Locale.ROOT, "%d runs of %d sweeps; %d nightly reports. "
                        + "Generated %s.", runs.size(), runs.stream().map(Run::sweep).distinct().count(),
                nightlies.size(), generated));
        filters(body.appendElement("form").attr("id", "filters"), runs);
        summary(body.appendElement("table").addClass("summary"), runs);
        compareView(body, runs, comparisons);
        for (Run r : runs) {
            run(body.appendElement("section").addClass("run").attr("id", r.anchor()).attr("data-job", r.job())
                    .attr("data-tags", String.join(" ", r.tags())).attr("data-status", r.status()), r, nightlies);
        }
        if (!nightlies.isEmpty()) {
            Element sec = body.appendElement("section").attr("id", "nightly");
            sec.appendElement("h2").text("Nightly change reports");
            Parser parser = Parser.builder().extensions(MARKDOWN).build();
            HtmlRenderer renderer = HtmlRenderer.builder().extensions(MARKDOWN).escapeHtml(true).build();
            for (Nightly n : nightlies) {
                Element art = sec.appendElement("article").attr("id", n.anchor());
                art.appendElement("p").appendElement("a").attr("href", n.path()).text(n.path());
                art.append(renderer.render(parser.parse(n.markdown())));
            }
        }
        body.appendElement("script").appendChild(new org.jsoup.nodes.DataNode(SCRIPT));
        doc.outputSettings().prettyPrint(true);
        return "<!DOCTYPE html>\n" + doc.outerHtml() + "\n";
    }

    /** Filters by job, tag and status (a little script applies them; the URL's #job=…&tag=…&status=… sets them). */
    private static void filters(Element form, List<Run> runs) {
        select(form, "job", runs.stream().map(Run::job).filter(j -> !j.isEmpty()).distinct().sorted().toList());
        select(form, "tag", runs.stream().flatMap(r -> r.tags().stream()).distinct().sorted().toList());
        select(form, "status", runs.stream().map(Run::status).distinct().sorted().toList());
    }

    private static void select(Element form, String name, List<String> values) {
        Element label = form.appendElement("label").text(name + " ");
        Element sel = label.appendElement("select").attr("name", name);
        sel.appendElement("option").attr("value", "").text("all");
        values.forEach(v -> sel.appendElement("option").attr("value", v).text(v));
    }

    /** Two runs of one job side by side: their counts, overrides and figures (#compare=<anchor>,<anchor>). */
    private static void compareView(Element body, List<Run> runs, List<String> comparisons) {
        Element sec = body.appendElement("section").attr("id", "compare");
        sec.appendElement("h2").text("Compare two runs");
        Element form = sec.appendElement("form").attr("id", "compare-form");
        for (String side : List.of("a", "b")) {
            Element sel = form.appendElement("label").text(side + " ").appendElement("select").attr("name", side);
            sel.appendElement("option").attr("value", "").text("—");
            for (Run r : runs) {
                if (r.manifest() != null) {
                    sel.appendElement("option").attr("value", r.anchor()).attr("data-job", r.job())
                            .text(r.sweep() + " / " + r.runId() + (r.manifest().hasNonNull("name")
                                    ? " (" + r.manifest().path("name").asText() + ")" : ""));
                }
            }
        }
        sec.appendElement("p").attr("id", "compare-note");
        sec.appendElement("div").attr("id", "compare-panes").addClass("panes");
        if (!comparisons.isEmpty()) {
            Element ul = sec.appendElement("p").text("Comparisons written by engram compare: ").appendElement("ul");
            comparisons.forEach(c -> ul.appendElement("li").appendElement("a").attr("href", c).text(c));
        }
    }

    private static void summary(Element table, List<Run> runs) {
        Element head = table.appendElement("thead").appendElement("tr");
        for (String h : List.of("sweep", "run", "name", "tags", "job", "started", "status", "cells", "trials", "failed",
                "seconds")) {
            head.appendElement("th").text(h);
        }
        Element tbody = table.appendElement("tbody");
        for (Run r : runs) {
            Element tr = tbody.appendElement("tr").attr("data-job", r.job()).attr("data-tags", String.join(" ",
                    r.tags())).attr("data-status", r.status()).attr("data-anchor", r.anchor());
            tr.appendElement("td").text(r.sweep());
            tr.appendElement("td").appendElement("a").attr("href", "#" + r.anchor()).text(r.runId());
            JsonNode m = r.manifest();
            tr.appendElement("td").text(m != null && m.hasNonNull("name") ? m.path("name").asText() : "");
            tr.appendElement("td").text(String.join(", ", r.tags()));
            if (m == null) {
                tr.appendElement("td").text("");
                tr.appendElement("td").text("");
                tr.appendElement("td").addClass("bad").text("incomplete (no manifest)");
                tr.appendElement("td").attr("colspan", "4");
                continue;
            }
            JsonNode c = m.path("counts");
            tr.appendElement("td").text(m.path("job").asText());
            tr.appendElement("td").text(when(m.path("started").asText()));
            tr.appendElement("td").addClass(m.path("status").asText().equals("complete") ? "ok" : "bad")
                    .text(m.path("status").asText());
            tr.appendElement("td").addClass("num").text(c.path("cells").asText());
            tr.appendElement("td").addClass("num").text(c.path("trials").asText());
            tr.appendElement("td").addClass("num").text(c.path("failed_trials").asText());
            tr.appendElement("td").addClass("num").text(String.format(Locale.ROOT, "%.1f",
                    m.path("seconds").asDouble()));
        }
    }

    private static void run(Element sec, Run r, List<Nightly> nightlies) {
        sec.appendElement("h2").text(r.sweep() + " / " + r.runId());
        JsonNode m = r.manifest();
        if (m == null) {
            sec.appendElement("p").addClass("bad").text("No manifest.json: this run did not finish (a later run of "
                    + "the sweep resumes from its ledger; `engram clean` removes the folder).");
            return;
        }
        Element dl = sec.appendElement("dl");
        item(dl, "job", m.path("job").asText() + (m.hasNonNull("description") ? " — "
                + m.path("description").asText() : ""));
        item(dl, "started", when(m.path("started").asText()) + String.format(Locale.ROOT, " (%.1f s)",
                m.path("seconds").asDouble()));
        item(dl, "config sha256", m.path("config_sha256").asText());
        item(dl, "code", "git " + m.path("code").path("git_commit").asText() + ", job code version "
                + m.path("code").path("job_code_version").asText());
        item(dl, "status", m.path("status").asText());
        if (m.hasNonNull("name")) {
            item(dl, "name", m.path("name").asText());
        }
        item(dl, "tags", r.tags().isEmpty() ? "—" : String.join(", ", r.tags()));
        if (m.hasNonNull("note")) {
            item(dl, "note", m.path("note").asText());
        }
        if (r.overrides().isEmpty()) {
            item(dl, "overrides", "none (the conf as shipped)");
        } else {
            Element ul = item(dl, "overrides", "").appendElement("ul").addClass("overrides");
            r.overrides().forEach(o -> ul.appendElement("li").text(o));
        }
        JsonNode c = m.path("counts");
        item(dl, "counts", String.format(Locale.ROOT, "%d cells × %d replicates = %d trials; %d computed, %d reused "
                        + "from the ledger, %d failed", c.path("cells").asLong(), c.path("replicates_per_cell").asLong(),
                c.path("trials").asLong(), c.path("computed_trials").asLong(), c.path("reused_trials").asLong(),
                c.path("failed_trials").asLong()));
        if (!r.failures().isEmpty()) {
            Element dd = item(dl, "failures", "");
            Element ul = dd.appendElement("ul");
            r.failures().forEach(f -> ul.appendElement("li").text(f));
        }
        String runId = m.path("run_id").asText();
        for (Nightly n : nightlies) {
            if (runId.equals("nightly-" + n.stamp())) {
                item(dl, "nightly", "").appendElement("a").attr("href", "#" + n.anchor())
                        .text("change report of " + n.stamp());
            }
        }
        Element links = sec.appendElement("p").addClass("links");
        List<String> targets = new ArrayList<>(List.of("manifest.json"));
        List<String> pngs = new ArrayList<>();
        for (JsonNode f : m.path("files")) {
            String name = f.asText();
            if (name.endsWith(".png")) {
                pngs.add(name);
            } else if (!name.contains("*") && !name.endsWith(".parquet") && !name.startsWith("plots/")) {
                targets.add(name);
            }
        }
        for (String t : targets) {
            links.appendElement("a").attr("href", r.path() + "/" + t).text(t);
            links.appendText(" ");
        }
        for (JsonNode fig : m.path("figures")) {
            String png = fig.path("png").asText();
            if (pngs.remove(png)) {
                figure(sec, r.path() + "/" + png, fig.path("title").asText(), r.path() + "/" + fig.path("data").asText());
            }
        }
        for (String png : pngs) {
            figure(sec, r.path() + "/" + png, png, null);
        }
    }

    /** An inline PNG with its caption and, when known, a link to the data it was drawn from. */
    private static void figure(Element sec, String src, String caption, String data) {
        Element fig = sec.appendElement("figure").addClass("thumb");
        fig.appendElement("a").attr("href", src).attr("target", "_blank").appendElement("img").attr("src", src)
                .attr("alt", caption).attr("width", "300").attr("height", "217").attr("loading", "lazy");
        Element cap = fig.appendElement("figcaption").text(caption + " ");
        if (data != null) {
            cap.appendElement("a").attr("href", data).text("data");
        }
    }

    /** An ISO instant as "2026-12-03 02:16:29 UTC" (as written when it is not one). */
    static String when(String iso) {
        try {
            return WHEN.format(Instant.parse(iso));
        } catch (java.time.format.DateTimeParseException e) {
            return iso;
        }
    }

    private static final java.time.format.DateTimeFormatter WHEN = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

    private static Element item(Element dl, String term, String text) {
        dl.appendElement("dt").text(term);
        return dl.appendElement("dd").text(text);
    }

    private static final String CSS = """
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
            table { border-collapse: collapse; } th, td { padding: 2px 8px; border-bottom: 1px solid #ddd; }
            td.num { text-align: right; } .ok { color: #1a7f37; } .bad { color: #b42318; }
            section { border-top: 2px solid #888; margin-top: 2em; }
            dl { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; } dt { font-weight: bold; }
            dd { margin: 0; } figure { margin: 1em 0; } img { max-width: 100%; height: auto; border: 1px solid #ddd; }
            .links a { margin-right: 0.5em; } .missing { color: #b42318; font-weight: bold; }
            figure.thumb { display: inline-block; width: 300px; vertical-align: top; margin: 0.5em; }
            figure.thumb figcaption { font-size: 12px; } #filters label, #compare-form label { margin-right: 1em; }
            .panes { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1em; }
            .pane { overflow-wrap: anywhere; font-size: 13px; } .pane h2 { font-size: 16px; }
            .pane figure.thumb { width: 100%; margin: 0.3em 0; } .pane img { width: 100%; height: auto; } [hidden] { display: none !important; }
            """;

    /** After load: each image's natural width recorded on it, and a visible note beside any that did not load. */
    private static final String SCRIPT = """
            window.addEventListener('load', () => {
              for (const img of document.images) {
                img.dataset.naturalWidth = String(img.naturalWidth);
                if (img.naturalWidth === 0) {
                  const note = document.createElement('span');
                  note.className = 'missing';
                  note.textContent = ' image did not load: ' + img.getAttribute('src');
                  img.after(note);
                }
              }
              document.body.dataset.loaded = 'true';
            });
            // filters: a run (its summary row and its section) shows when it matches every chosen job, tag and status
            const filters = document.getElementById('filters');
            function applyFilters() {
              const f = Object.fromEntries(new FormData(filters));
              document.querySelectorAll('tr[data-job], section.run').forEach(el => {
                const ok = (!f.job || el.dataset.job === f.job) && (!f.status || el.dataset.status === f.status)
                  && (!f.tag || el.dataset.tags.split(' ').includes(f.tag));
                el.hidden = !ok;
              });
            }
            filters.addEventListener('change', applyFilters);
            // compare: two runs of one job side by side, their details and figures
            const cmp = document.getElementById('compare-form');
            function applyCompare() {
              const a = cmp.elements.a.value, b = cmp.elements.b.value;
              const panes = document.getElementById('compare-panes'), note = document.getElementById('compare-note');
              panes.replaceChildren();
              note.textContent = '';
              if (!a || !b) return;
              const sa = document.getElementById(a), sb = document.getElementById(b);
              if (sa.dataset.job !== sb.dataset.job) {
                note.textContent = 'runs of different jobs: choose two runs of one job';
                return;
              }
              note.textContent = 'job ' + sa.dataset.job;
              for (const s of [sa, sb]) {
                const pane = document.createElement('div');
                pane.className = 'pane';
                pane.append(s.querySelector('h2').cloneNode(true), s.querySelector('dl').cloneNode(true));
                s.querySelectorAll('figure').forEach(f => pane.append(f.cloneNode(true)));
                panes.append(pane);
              }
            }
            cmp.addEventListener('change', applyCompare);
            // the address can preset both: #job=…&tag=…&status=…&a=<run anchor>&b=<run anchor>
            const preset = new URLSearchParams(location.hash.slice(1));
            for (const [k, v] of preset) {
              const el = filters.elements[k] || cmp.elements[k];
              if (el) el.value = v;
            }
            applyFilters();
            applyCompare();
            """;
}
