// Renders math for founderlab's HTML exports: reads a JSON array of
// {tex, display} on stdin, writes a JSON array of KaTeX HTML strings.
const katex = require(process.env.FOUNDERLAB_KATEX_JS);
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const spans = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const out = spans.map((s) =>
    katex.renderToString(s.tex, { displayMode: !!s.display, throwOnError: false, strict: "ignore" })
  );
  process.stdout.write(JSON.stringify(out));
});
