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
 * The static HTML index of a results folder ({@code engram report}): a summary table of every run, then per run
 * its job, date, config hash, code version, status, counts and failures, links to its tables, notebook and
 * manifest, and its PNGs inline; nightly change reports (Markdown) rendered at the end, linked from the runs they
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
     */
    public record Run(String path, JsonNode manifest, List<String> failures) {
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
        summary(body.appendElement("table").addClass("summary"), runs);
        for (Run r : runs) {
            run(body.appendElement("section").attr("id", r.anchor()), r, nightlies);
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

    private static void summary(Element table, List<Run> runs) {
        Element head = table.appendElement("thead").appendElement("tr");
        for (String h : List.of("sweep", "run", "job", "started", "status", "cells", "trials", "failed", "seconds")) {
            head.appendElement("th").text(h);
        }
        Element tbody = table.appendElement("tbody");
        for (Run r : runs) {
            Element tr = tbody.appendElement("tr");
            tr.appendElement("td").text(r.sweep());
            tr.appendElement("td").appendElement("a").attr("href", "#" + r.anchor()).text(r.runId());
            JsonNode m = r.manifest();
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
        Element fig = sec.appendElement("figure");
        fig.appendElement("img").attr("src", src).attr("alt", caption).attr("width", "900").attr("height", "650");
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
            """;
}
