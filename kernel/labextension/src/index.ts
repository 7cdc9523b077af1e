// FounderLab charts in JupyterLab 4 and Notebook 7.
//
// lib/charts puts into every chart output, beside the HTML and the static
// SVG, a document of the MIME type below: the chart's ECharts option, its
// size, theme and renderer (see charts.MIMEType in lib/charts/mime.go).
// This MIME renderer draws it with one copy of ECharts per page: the
// echarts.min.js that `founderlab install` places in this extension's
// static directory, fetched once when the first chart is drawn. The
// notebook's outputs then hold the option, not the library.
//
// Until ECharts is there (or if it cannot be had) the output shows the
// bundle's static SVG, so a chart is never a blank box. JavaScript in the
// option (go-echarts functions, event listeners) runs only for trusted
// outputs; the renderer is not "safe", so JupyterLab shows untrusted
// outputs with its sanitized HTML renderer instead (the static picture).

import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

/** The MIME type of a FounderLab chart (lib/charts: charts.MIMEType). */
export const MIME_TYPE = 'application/vnd.founderlab.echarts+json';

/** The ECharts release the options target and the one installed beside this extension. */
export const ECHARTS_VERSION = '5.4.3';

/** The file of ECharts in this extension's static directory. */
export const ECHARTS_FILE = 'echarts.min.js';

// The URL the federated extension was loaded from (set by the builder).
declare let __webpack_public_path__: string;

/** Version 1 of the chart document. */
interface IChartDocument {
  version: number;
  echarts?: string;
  title?: string;
  option: Record<string, unknown>;
  width?: string;
  height?: string;
  theme?: string;
  renderer?: string;
  code?: string[];
}

// go-echarts marks JavaScript functions inside options this way.
const FUNC_MARK = '__f__';

type ECharts = {
  version: string;
  init: (el: HTMLElement, theme?: string | null, opts?: Record<string, unknown>) => EChartsInstance;
};
type EChartsInstance = {
  setOption: (o: unknown) => void;
  resize: () => void;
  dispose: () => void;
};

function pageECharts(): ECharts | null {
  const e = (window as unknown as { echarts?: ECharts }).echarts;
  return e && typeof e.init === 'function' ? e : null;
}

let loading: Promise<ECharts> | null = null;

/**
 * Returns ECharts: the page's when it has one (an HTML output of lib/charts
 * may have run it), else the copy installed beside this extension, fetched
 * once per page. The library runs with define, exports and module hidden,
 * so that its UMD wrapper sets window.echarts whatever loaders the page
 * has; HTML outputs of lib/charts waiting on the page are then served too.
 */
export function loadECharts(): Promise<ECharts> {
  const ready = pageECharts();
  if (ready) {
    return Promise.resolve(ready);
  }
  if (!loading) {
    const url = __webpack_public_path__ + ECHARTS_FILE;
    const p = fetch(url)
      .then(r => {
        if (!r.ok) {
          throw new Error(`could not load ECharts from ${url}: HTTP ${r.status}`);
        }
        return r.text();
      })
      .then(src => {
        if (!pageECharts()) {
          new Function('define', 'exports', 'module', src + '\n//# sourceURL=' + url).call(window);
        }
        const ec = pageECharts();
        if (!ec) {
          throw new Error(`${url} did not define echarts`);
        }
        const shared = (window as unknown as { __founderlabCharts?: { provide?: () => void } }).__founderlabCharts;
        if (shared && typeof shared.provide === 'function') {
          shared.provide();
        }
        return ec;
      });
    p.catch(() => {
      if (loading === p) {
        loading = null;
      }
    });
    loading = p;
  }
  return loading;
}

/** Parses the document, given as a JSON string (GoNB) or an object. */
export function parseDocument(data: unknown): IChartDocument {
  const doc = (typeof data === 'string' ? JSON.parse(data) : data) as IChartDocument;
  if (!doc || typeof doc !== 'object' || typeof doc.option !== 'object' || doc.option === null) {
    throw new Error(`${MIME_TYPE}: no option in the document`);
  }
  if (doc.version !== 1) {
    throw new Error(`${MIME_TYPE}: document version ${doc.version}, this extension reads version 1`);
  }
  return doc;
}

/**
 * Returns the option with go-echarts' marked functions turned into
 * functions (trusted outputs) or left out (untrusted ones).
 */
export function reviveFunctions(v: unknown, trusted: boolean): unknown {
  if (typeof v === 'string') {
    if (v.length >= 2 * FUNC_MARK.length && v.startsWith(FUNC_MARK) && v.endsWith(FUNC_MARK)) {
      if (!trusted) {
        return undefined;
      }
      const code = v.slice(FUNC_MARK.length, v.length - FUNC_MARK.length).trim();
      return new Function('return (' + code + ');')();
    }
    return v;
  }
  if (Array.isArray(v)) {
    return v.map(x => reviveFunctions(x, trusted));
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      out[k] = reviveFunctions(x, trusted);
    }
    return out;
  }
  return v;
}

/** A chart output. */
export class ChartRenderer extends Widget implements IRenderMime.IRenderer {
  private _chart: EChartsInstance | null = null;
  private _observer: ResizeObserver | null = null;

  constructor() {
    super();
    this.addClass('founderlab-echarts-output');
    this.node.style.overflowX = 'auto';
    this.node.setAttribute('data-founderlab-renderer', 'mime');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this._release();
    this.node.textContent = '';
    this.node.setAttribute('data-founderlab-chart', 'pending');
    let doc: IChartDocument;
    try {
      doc = parseDocument(model.data[MIME_TYPE]);
    } catch (err) {
      this._fail(err);
      return;
    }
    const box = document.createElement('div');
    box.style.position = 'relative';
    box.style.width = doc.width || '900px';
    box.style.height = doc.height || '500px';
    const host = document.createElement('div');
    host.className = 'founderlab-echarts-chart';
    host.style.width = '100%';
    host.style.height = '100%';
    box.appendChild(host);
    // The static picture stands over the chart until it draws.
    const svg = model.data['image/svg+xml'];
    let still: HTMLImageElement | null = null;
    if (typeof svg === 'string' && svg !== '') {
      still = document.createElement('img');
      still.className = 'founderlab-echarts-static';
      still.alt = doc.title || 'chart';
      still.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
      still.style.position = 'absolute';
      still.style.left = '0';
      still.style.top = '0';
      still.style.width = '100%';
      still.style.height = '100%';
      still.style.background = '#fff';
      box.appendChild(still);
    }
    this.node.appendChild(box);
    try {
      const echarts = await loadECharts();
      if (this.isDisposed) {
        return;
      }
      const chart = echarts.init(host, doc.theme || null, { renderer: doc.renderer === 'svg' ? 'svg' : 'canvas' });
      this._chart = chart;
      chart.setOption(reviveFunctions(doc.option, model.trusted));
      if (model.trusted) {
        for (const code of doc.code || []) {
          new Function('chart', 'echarts', code)(chart, echarts);
        }
      }
      if (still) {
        still.remove();
      }
      if (typeof ResizeObserver === 'function') {
        this._observer = new ResizeObserver(() => chart.resize());
        this._observer.observe(host);
      }
      this.node.setAttribute('data-founderlab-chart', 'drawn');
    } catch (err) {
      this._fail(err);
    }
  }

  dispose(): void {
    this._release();
    super.dispose();
  }

  private _fail(err: unknown): void {
    this.node.setAttribute('data-founderlab-chart', 'failed');
    const note = document.createElement('div');
    note.className = 'founderlab-echarts-note';
    note.style.font = '12px sans-serif';
    note.style.color = '#a33';
    note.textContent = 'Interactive chart unavailable: ' + (err instanceof Error ? err.message : String(err));
    this.node.appendChild(note);
    console.error('founderlab charts:', err);
  }

  private _release(): void {
    if (this._observer) {
      this._observer.disconnect();
      this._observer = null;
    }
    if (this._chart) {
      this._chart.dispose();
      this._chart = null;
    }
  }
}

const extension: IRenderMime.IExtension = {
  id: 'founderlab-echarts:renderer',
  rendererFactory: {
    safe: false,
    mimeTypes: [MIME_TYPE],
    createRenderer: () => new ChartRenderer()
  },
  // Before text/html (50): where this extension is installed it draws the chart.
  rank: 0
};

export default extension;
