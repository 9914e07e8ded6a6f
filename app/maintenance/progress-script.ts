/**
 * The maintenance page's one script: a browser that started the restore now holding the
 * lock (its id is in localStorage, see restore-transport.ts) follows it here after a reload
 * — the phase, a bar, rows done of total, the time left — and then reads its result, in
 * the admin's language. Any other visitor just sees the page check again every few seconds.
 * Plain JavaScript, no React: this page must not touch the database, and it is all that
 * answers while the restore runs. It reads the same endpoint as the settings page.
 */
export type ProgressScriptTexts = {
  locale: string;
  phases: Record<string, string>;
  rows: string;
  secondsLeft: string;
  minutesLeft: string;
  estimating: string;
  runsOnServer: string;
  signIn: string;
};

/** The markup the script fills in, hidden until it has something to show. */
export function progressMarkup(texts: ProgressScriptTexts): string {
  return `<section id="restore-progress" data-testid="restore-progress" hidden>
<p id="restore-phase" data-testid="restore-phase" class="phase"></p>
<div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0" id="restore-bar"><div id="restore-bar-fill"></div></div>
<p class="line"><span id="restore-amount"></span><span id="restore-time-left" data-testid="restore-time-left"></span></p>
<p class="note">${escapeHtml(texts.runsOnServer)}</p>
</section>
<section id="restore-result" data-testid="restore-result" hidden>
<h1 id="restore-result-title" data-testid="restore-result-title"></h1>
<ul id="restore-result-lines"></ul>
<p><a href="/login">${escapeHtml(texts.signIn)}</a></p>
</section>`;
}

export const PROGRESS_STYLE =
  ".phase{font-weight:600;color:#171717}.bar{height:.5rem;border-radius:9999px;background:#e5e5e5;overflow:hidden;margin:.5rem 0}" +
  "#restore-bar-fill{height:100%;width:0;background:#171717;transition:width .3s}.line{display:flex;justify-content:space-between;gap:1rem;font-size:.875rem}" +
  ".note{font-size:.75rem}ul{text-align:left;color:#525252}";

export function progressScript(texts: ProgressScriptTexts): string {
  const json = JSON.stringify(texts).replace(/</g, "\\u003c");
  return `(function () {
  var T = ${json};
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem("wimm.restore") || "null"); } catch (e) {}
  var id = saved && typeof saved.id === "string" ? saved.id : null;
  if (!id) { setTimeout(function () { location.reload(); }, 5000); return; }
  var $ = function (name) { return document.getElementById(name); };
  var number = new Intl.NumberFormat(T.locale);
  var fill = function (text, values) {
    return text.replace(/\\{(\\w+)\\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  };
  var forget = function () { try { localStorage.removeItem("wimm.restore"); } catch (e) {} };
  $("restore-default").hidden = true;
  $("restore-progress").hidden = false;
  function show(view) {
    var p = view.progress;
    if (!p) return;
    var box = $("restore-progress");
    box.setAttribute("data-phase", p.phase);
    box.setAttribute("data-done", String(p.done));
    box.setAttribute("data-total", p.total === null ? "" : String(p.total));
    $("restore-phase").textContent = T.phases[p.phase] || p.phase;
    $("restore-bar-fill").style.width = view.percent + "%";
    $("restore-bar").setAttribute("aria-valuenow", String(view.percent));
    $("restore-amount").textContent =
      p.phase === "copy" && p.total !== null ? fill(T.rows, { done: number.format(p.done), total: number.format(p.total) }) : "";
    var s = view.secondsLeft;
    $("restore-time-left").textContent =
      s === null ? T.estimating : s >= 120 ? fill(T.minutesLeft, { minutes: number.format(Math.round(s / 60)) }) : fill(T.secondsLeft, { seconds: number.format(s) });
  }
  function finish(summary, failed) {
    forget();
    $("restore-progress").hidden = true;
    // No longer "in progress": the outcome is the page's heading now.
    $("page-title").hidden = true;
    document.title = summary.title;
    var box = $("restore-result");
    box.hidden = false;
    box.setAttribute("data-outcome", failed ? "failed" : "done");
    $("restore-result-title").textContent = summary.title;
    var list = $("restore-result-lines");
    summary.lines.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
  }
  function poll() {
    fetch("/api/restore/progress?id=" + encodeURIComponent(id), { cache: "no-store" })
      .then(function (response) {
        if (response.status === 404) return { lost: true };
        return response.ok ? response.json() : null;
      })
      .then(function (view) {
        if (view && view.lost) {
          // Not this browser's restore any more (long over, or from before a server restart):
          // the page goes back to saying a restore is in progress, and checks again.
          forget();
          $("restore-progress").hidden = true;
          $("restore-default").hidden = false;
          setTimeout(function () { location.reload(); }, 5000);
          return;
        }
        if (view && view.state === "finished") {
          // A migration asking for its confirmation holds no lock: the settings page asks.
          if (!view.result || !view.result.summary) { location.href = "/settings"; return; }
          return finish(view.result.summary, view.result.summary.failed);
        }
        if (view) show(view);
        setTimeout(poll, 400);
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
