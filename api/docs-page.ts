/**
 * A self-contained page that renders /openapi.json: no CDN, no external script, so it works on a
 * closed network. Operations by tag, with their roles, parameters and request schemas.
 */
export const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Suprovid API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1f4e79;color:#fff;padding:16px 24px}main{max-width:1000px;margin:0 auto;padding:16px 24px}
h2{margin-top:28px;border-bottom:1px solid #ccd;text-transform:capitalize}
details{background:#fff;border:1px solid #dde;border-radius:6px;margin:8px 0;padding:8px 12px}
summary{cursor:pointer}code,pre{font:13px ui-monospace,monospace}pre{background:#f0f2f5;padding:8px;overflow:auto;max-height:360px}
.m{display:inline-block;min-width:56px;font-weight:700}.get{color:#1a7f37}.post{color:#0550ae}.delete{color:#cf222e}
.roles{color:#666;font-size:13px}
</style></head><body>
<header><strong>Suprovid API</strong> <span id="v"></span> &middot; <a style="color:#fff" href="/openapi.json">openapi.json</a></header>
<main id="out">Loading…</main>
<script>
fetch('/openapi.json').then(r => r.json()).then(doc => {
  document.getElementById('v').textContent = 'v' + doc.info.version;
  const byTag = {};
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) (byTag[op.tags[0]] ??= []).push({ path, method, op });
  const out = document.getElementById('out'); out.textContent = '';
  const p = document.createElement('p'); p.textContent = doc.info.description; out.append(p);
  for (const [tag, ops] of Object.entries(byTag)) {
    const h = document.createElement('h2'); h.textContent = tag; out.append(h);
    for (const { path, method, op } of ops) {
      const d = document.createElement('details'); const s = document.createElement('summary');
      s.innerHTML = '<span class="m ' + method + '">' + method.toUpperCase() + '</span> <code></code> ';
      s.querySelector('code').textContent = path; s.append(op.summary || '');
      d.append(s);
      const info = document.createElement('div');
      const roles = op['x-roles'] ? 'Roles: ' + op['x-roles'].join(', ') : 'No key needed';
      info.innerHTML = '<div class="roles"></div>'; info.firstChild.textContent = roles;
      if (op.description) { const q = document.createElement('p'); q.textContent = op.description; info.append(q); }
      if (op.parameters?.length) { const pre = document.createElement('pre'); pre.textContent = 'Parameters\\n' + op.parameters.map(x => x.in + ' ' + x.name + (x.required ? ' (required)' : '') + ': ' + JSON.stringify(x.schema)).join('\\n'); info.append(pre); }
      if (op.requestBody) { const pre = document.createElement('pre'); pre.textContent = 'Body\\n' + JSON.stringify(op.requestBody.content['application/json'].schema, null, 2); info.append(pre); }
      d.append(info); out.append(d);
    }
  }
});
</script></body></html>`;
