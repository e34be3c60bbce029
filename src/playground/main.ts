// The playground page: checks for WebGPU first (a plain message and a link, never a blank page),
// then wires the controls (their state in the URL), the two runs, the jet explorer and the model
// panel. `window.playground` exposes the state the tests read.
import { stringifyDataSet, type DataSet } from '../data/file.js';
import { Engine } from '../gpu/engine.js';
import { requestBrowserAdapter } from '../gpu/browser-adapter.js';
import type { LambdaMap } from '../lambda/lambda-map.js';
import { stringifyModel } from '../model/io.js';
import { errorChart, lambdaChart, RUN_COLOURS } from './charts.js';
import { Controller } from './controller.js';
import { drawColourBar, drawRun, lambdaRange } from './draw.js';
import { explore } from './jet-explorer.js';
import { measure } from './model-panel.js';
import { DEFAULTS, checkValue, commandLine, fromQuery, lambdaAbout, lambdaPointsText, toQuery, type Settings } from './settings.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page has no #${id}`);
  return e as T;
};

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const REG_NAMES = { none: 'plain (no regularizer)', crr: 'CRR', sam: 'SAM' } as const;
const NUMERIC = ['noise', 'trainSize', 'seed', 'hidden', 'lr', 'batch', 'epochs', 'lambdaPoints', 'crrScale', 'rho'] as const;

let settings: Settings = DEFAULTS;

function showControls(s: Settings): void {
  for (const key of NUMERIC) $<HTMLInputElement>(key).value = String(s[key]);
  $<HTMLSelectElement>('left').value = s.left;
  $<HTMLSelectElement>('right').value = s.right;
  $<HTMLInputElement>('crrOrders').value = s.crrOrders;
  $<HTMLInputElement>(`view-${s.view}`).checked = true;
}

/** The settings the controls show; the first bad control is a JetcurveError naming it. */
function readControls(): Settings {
  const out: Record<string, unknown> = {};
  for (const key of NUMERIC) out[key] = checkValue(key, $<HTMLInputElement>(key).value);
  out['left'] = checkValue('left', $<HTMLSelectElement>('left').value);
  out['right'] = checkValue('right', $<HTMLSelectElement>('right').value);
  out['crrOrders'] = checkValue('crrOrders', $<HTMLInputElement>('crrOrders').value.trim());
  out['view'] = $<HTMLInputElement>('view-probability').checked ? 'probability' : 'lambda';
  return out as unknown as Settings;
}

function writeUrl(s: Settings): void {
  const query = toQuery(s);
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
}

function showNoGpu(reason: string): void {
  $('app').hidden = true;
  $('nogpu').hidden = false;
  $('nogpu-reason').textContent = reason;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function main(): Promise<void> {
  if (!('gpu' in navigator) || !navigator.gpu) {
    showNoGpu('navigator.gpu is missing: this browser has no WebGPU, or it is turned off, or the page is not in a secure context.');
    return;
  }
  let engine: Engine;
  try {
    engine = await Engine.fromAdapter(await requestBrowserAdapter());
  } catch (e) {
    showNoGpu(`WebGPU is there but gave no device: ${message(e)}`);
    return;
  }
  $('app').hidden = false;
  const parsed = fromQuery(location.search);
  settings = parsed.settings;
  showControls(settings);
  $('control-error').textContent = parsed.problems.length ? `ignored in the link (defaults used): ${parsed.problems.join('; ')}` : '';
  drawColourBar($<HTMLCanvasElement>('colour-bar'));

  const controller = new Controller(engine, settings, () => render());
  const render = (): void => {
    const maps = controller.runs.map((r) => r.map);
    const range = lambdaRange(maps);
    controller.runs.forEach((run, i) => {
      $(`title-${i}`).textContent = `${i ? 'right' : 'left'}: ${REG_NAMES[run.reg]}`;
      $(`title-${i}`).style.color = RUN_COLOURS[i]!;
      if (run.map && controller.data) drawRun($<HTMLCanvasElement>(`canvas-${i}`), run.map, controller.data.test, settings.view, range);
      const last = run.records[run.records.length - 1];
      $(`epoch-${i}`).textContent = `${run.records.length} of ${settings.epochs}`;
      $(`epoch-${i}`).dataset['value'] = String(run.records.length);
      $(`error-${i}`).textContent = last ? `${(100 * last.testError).toFixed(2)}%` : '–';
      $(`error-${i}`).dataset['value'] = last ? String(last.testError) : '';
      const lam = last?.lambda?.value;
      $(`lambda-${i}`).textContent = lam === undefined || lam === null ? (last ? 'n/a' : '–') : lam.toFixed(4);
      $(`lambda-${i}`).dataset['value'] = lam === undefined || lam === null ? '' : String(lam);
      $(`lambda-points-${i}`).textContent = lambdaPointsText(last?.lambda);
      $(`cli-${i}`).textContent = commandLine(settings, run.reg);
    });
    $('lambda-about').textContent = lambdaAbout(settings);
    $('scale-label').textContent = settings.view === 'lambda' ? 'λ map (both runs, one scale)' : 'class-1 probability (blue 0 → orange 1)';
    $('scale-lo').textContent = settings.view === 'lambda' ? range[0].toFixed(2) : '';
    $('scale-hi').textContent = settings.view === 'lambda' ? range[1].toFixed(2) : '';
    $('colour-bar').hidden = settings.view !== 'lambda';
    const chartRuns = controller.runs.map((r, i) => ({ label: `${i ? 'right' : 'left'}: ${REG_NAMES[r.reg]}`, records: r.records }));
    if (chartRuns.some((r) => r.records.length)) {
      $('chart-error').innerHTML = errorChart(chartRuns);
      $('chart-lambda').innerHTML = lambdaChart(chartRuns);
    } else {
      $('chart-error').innerHTML = '';
      $('chart-lambda').innerHTML = '';
    }
    const phase = controller.phase;
    $('status').textContent = phase === 'error' ? `stopped: ${message(controller.error)}`
      : phase === 'playing' ? 'training…' : phase === 'stepping' ? 'one epoch…' : controller.finished ? 'done: all epochs trained (reset, or raise epochs)' : 'paused';
    $('status').dataset['phase'] = phase;
    $<HTMLButtonElement>('play').disabled = phase === 'playing' || controller.finished;
    $<HTMLButtonElement>('step').disabled = phase === 'playing' || controller.finished;
  };

  const onControl = (): void => {
    try {
      const next = readControls();
      $('control-error').textContent = '';
      const viewOnly = (Object.keys(next) as (keyof Settings)[]).every((k) => k === 'view' || next[k] === settings[k]);
      settings = next;
      writeUrl(settings);
      if (viewOnly) render();
      else void controller.reset(settings).then(render);
    } catch (e) {
      $('control-error').textContent = message(e);
    }
  };
  for (const id of [...NUMERIC, 'left', 'right', 'crrOrders', 'view-lambda', 'view-probability']) $(id).addEventListener('change', onControl);
  $('play').addEventListener('click', () => void controller.play());
  $('pause').addEventListener('click', () => controller.pause());
  $('step').addEventListener('click', () => void controller.step().then(render));
  $('reset').addEventListener('click', () => void controller.reset(settings).then(render));
  const modelJson = async (i: number): Promise<string> => stringifyModel(await controller.runs[i]!.spec());
  for (const i of [0, 1]) {
    $(`download-${i}`).addEventListener('click', () => void modelJson(i).then((text) => download(`model-${controller.runs[i]!.reg}.json`, text)));
  }

  wireExplorer(engine);
  const testData = (): DataSet | null => {
    const t = controller.data?.test;
    return t ? { inputShape: [2], inputs: Float64Array.from(t.inputs), count: t.n, labels: Uint32Array.from(t.labels) } : null;
  };
  wireModelPanel(engine, () => modelJson(0), testData);

  const ready = controller.reset(settings).then(render);
  Object.assign(globalThis, {
    playground: {
      ready,
      settings: () => settings,
      phase: () => controller.phase,
      records: () => controller.runs.map((r) => r.records.map((x) => ({
        epoch: x.epoch, testError: x.testError, lambda: x.lambda?.value ?? null, selection: x.lambda?.selection ?? null, measured: x.lambda?.measured ?? null,
      }))),
      map: (i: number): LambdaMap | null => controller.runs[i]?.map ?? null,
      modelJson,
    },
  });
  await ready;
}

function wireExplorer(engine: Engine): void {
  $('explorer-form').addEventListener('submit', () => {
    $('explorer-error').textContent = '';
    $('explorer-summary').textContent = 'computing…';
    explore(engine, $<HTMLInputElement>('expr').value, $<HTMLInputElement>('at').value, $<HTMLInputElement>('dir').value)
      .then((r) => {
        $('explorer-summary').textContent = r.summary;
        $('explorer-plot').innerHTML = r.figure;
      })
      .catch((e: unknown) => {
        $('explorer-summary').textContent = '';
        $('explorer-plot').innerHTML = '';
        $('explorer-error').textContent = message(e);
      });
  });
}

function wireModelPanel(engine: Engine, leftModel: () => Promise<string>, testData: () => DataSet | null): void {
  const files: { model: { name: string; text: string } | null; data: { name: string; text: string } | null } = { model: null, data: null };
  const show = (): void => { $('model-files').textContent = `model: ${files.model?.name ?? 'none'} · data: ${files.data?.name ?? 'none'}`; };
  /** A dropped file is a model or a data file by its format line. */
  const take = async (file: File, as?: 'model' | 'data'): Promise<void> => {
    const text = await file.text();
    const kind = as ?? (/"format"\s*:\s*"jetcurve-data\//.test(text) ? 'data' : 'model');
    files[kind] = { name: file.name, text };
    show();
  };
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    for (const f of Array.from(e.dataTransfer?.files ?? [])) void take(f);
  });
  for (const kind of ['model', 'data'] as const) {
    $<HTMLInputElement>(`${kind}-file`).addEventListener('change', (e) => {
      const f = (e.target as HTMLInputElement).files?.[0];
      if (f) void take(f, kind);
    });
  }
  $('use-left').addEventListener('click', () => void (async () => {
    const data = testData();
    if (!data) return;
    files.model = { name: 'left run', text: await leftModel() };
    files.data = { name: 'test data', text: stringifyDataSet(data) };
    show();
  })());
  $('download-data').addEventListener('click', () => {
    const data = testData();
    if (data) download('moons-test.json', stringifyDataSet(data));
  });
  $('measure').addEventListener('click', () => {
    $('model-error').textContent = '';
    if (!files.model || !files.data) {
      $('model-error').textContent = `give ${!files.model ? 'a model file' : ''}${!files.model && !files.data ? ' and ' : ''}${!files.data ? 'a data file' : ''} first (drop them above)`;
      return;
    }
    $('model-result').textContent = 'measuring…';
    measure(engine, files.model.text, files.model.name, files.data.text, files.data.name).then((m) => {
      const c = m.curvature;
      const rows = c ? `<table class="stats">
        <tr><th>λ (paper estimator, orders 1–4)</th><td id="model-lambda" data-value="${m.lambda.lambda}">${m.lambda.lambda.toFixed(4)}</td></tr>
        <tr><th>Hessian trace (${c.points} points, ${c.parameters} parameters)</th><td id="model-trace">${c.trace.toPrecision(5)} ± ${c.traceStdErr.toPrecision(2)}</td></tr>
        <tr><th>top eigenvalues</th><td id="model-eigen">${c.eigenvalues.map((v) => v.toPrecision(5)).join(', ')}</td></tr>
        <tr><th>scalar curvature</th><td id="model-scalar">${c.scalarCurvature.toPrecision(5)} ± ${c.scalarCurvatureStdErr.toPrecision(2)}</td></tr></table>`
        : `<table class="stats"><tr><th>λ (paper estimator, orders 1–4)</th><td id="model-lambda" data-value="${m.lambda.lambda}">${m.lambda.lambda.toFixed(4)}</td></tr>
        <tr><th>parameter-space curvature</th><td>not measured: ${m.curvatureNote.replace(/</g, '&lt;')}</td></tr></table>`;
      $('model-result').innerHTML = rows + m.figure;
    }).catch((e: unknown) => {
      $('model-result').textContent = '';
      $('model-error').textContent = message(e);
    });
  });
}

main().catch((e: unknown) => {
  // Never a blank page: whatever failed is said on it.
  const p = document.createElement('p');
  p.className = 'error';
  p.textContent = `The playground failed to start: ${message(e)}`;
  document.body.prepend(p);
});
