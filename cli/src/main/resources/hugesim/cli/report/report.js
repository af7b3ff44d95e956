// Hover on a chart: a cursor line and the values of every line at that time, read from the samples
// embedded beside the chart. Inline and self-contained; the report loads nothing.
(function () {
  function fmt(v) { return (Math.round(v * 100) / 100).toFixed(2); }
  document.querySelectorAll('figure.chart').forEach(function (fig) {
    var svg = fig.querySelector('svg');
    var plot = JSON.parse(fig.dataset.plot);
    var data = JSON.parse(fig.dataset.series);
    if (!svg || !data.t.length) return;
    var cursor = document.createElement('div'), tip = document.createElement('div');
    cursor.className = 'cursor'; tip.className = 'tip';
    fig.appendChild(cursor); fig.appendChild(tip);
    function hide() { cursor.style.display = 'none'; tip.style.display = 'none'; }
    svg.addEventListener('mouseleave', hide);
    svg.addEventListener('mousemove', function (ev) {
      var box = svg.getBoundingClientRect(), scale = box.width / plot.width;
      var px = (ev.clientX - box.left) / scale;
      if (px < plot.left || px > plot.right) { hide(); return; }
      var t = plot.xMin + (px - plot.left) / (plot.right - plot.left) * (plot.xMax - plot.xMin);
      // the last sample at or before t, as the kernel's counters would read then
      var lo = 0, hi = data.t.length - 1;
      if (t < data.t[0]) { hide(); return; }
      while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (data.t[mid] <= t) lo = mid; else hi = mid - 1; }
      var rows = ['<b>' + fmt(data.t[lo]) + ' s</b>'];
      data.lines.forEach(function (l) { rows.push(l.label + ': ' + fmt(l.v[lo]) + ' ' + (plot.unit || 'GiB')); });
      tip.innerHTML = rows.join('<br>');
      var x = data.t[lo], sx = plot.left + (x - plot.xMin) / (plot.xMax - plot.xMin) * (plot.right - plot.left);
      cursor.style.left = (sx * scale) + 'px';
      cursor.style.top = (plot.top * scale) + 'px';
      cursor.style.height = ((plot.bottom - plot.top) * scale) + 'px';
      cursor.style.display = 'block';
      tip.style.display = 'block';
      var left = sx * scale + 12;
      if (left + tip.offsetWidth > box.width) left = sx * scale - 12 - tip.offsetWidth;
      tip.style.left = left + 'px';
      tip.style.top = (plot.top * scale + 8) + 'px';
    });
  });
})();
