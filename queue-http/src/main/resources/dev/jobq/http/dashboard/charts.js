// Throughput and failures of a queue over the last hour and day, drawn with uPlot (from its
// webjar, loaded by index.html as the global uPlot).
import { optional, q } from './api.js';
import { h } from './dom.js';

// Answers null when the server keeps no history.
export async function historyCharts(queue) {
  const hour = await optional('queues/' + q(queue) + '/history?range=1h');
  if (!hour) return null;
  const day = await optional('queues/' + q(queue) + '/history?range=24h');
  const box = h('section', { class: 'charts', 'aria-label': 'history of ' + queue },
    h('h2', {}, queue + ': completed and failed'));
  for (const [label, answer] of [['last hour', hour], ['last 24 hours', day]]) {
    if (answer) box.append(chart(label, series(answer)));
  }
  return box;
}

// The points as uPlot's columns: times in seconds, then completed, then failed.
function series(answer) {
  const points = answer.points || answer.series || answer.buckets || [];
  const time = [];
  const completed = [];
  const failed = [];
  for (const p of points) {
    const at = p.at !== undefined ? p.at : p.start;
    time.push((typeof at === 'number' ? at : Date.parse(at)) / 1000);
    completed.push(p.completed || 0);
    failed.push(p.failed || 0);
  }
  return [time, completed, failed];
}

function chart(label, data) {
  const figure = h('figure', { class: 'chart' }, h('figcaption', {}, label));
  if (typeof uPlot === 'undefined' || !data[0].length) {
    figure.append(h('p', { class: 'empty' }, 'no figures yet'));
    return figure;
  }
  const width = Math.min(560, Math.max(260, window.innerWidth - 48));
  // uPlot draws into the figure once it is in the page; a frame later it is.
  requestAnimationFrame(() => new uPlot({
    width,
    height: 160,
    series: [{}, { label: 'completed', stroke: '#2f7d32' }, { label: 'failed', stroke: '#c62828' }],
    axes: [{}, { size: 40 }],
  }, data, figure));
  return figure;
}
