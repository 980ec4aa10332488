// Maps of the site catalogue and of a single site (Leaflet, vendored), and the
// print button of the site sheet. Kept out of the pages: the CSP forbids inline
// script. Everything is configured by data-attributes of the map element:
//
// Catalogue map (has data-sites):
//   data-sites        URL of a GeoJSON FeatureCollection of Point features with
//                     {id, reference, name, kind, estate, municipality,
//                      availability, area_m2, power_kva, rail_siding, url}
//   data-outlines     optional URL of a FeatureCollection of (Multi)Polygons
//                     with {kind: "estate"|"site", name, url}
//   data-labels       optional JSON: {area, power, availability, unknown,
//                     states: {available, reserved, ...}, open, legend,
//                     close, zoom_in, zoom_out}
//   data-lang         optional BCP 47 tag for number formats (default <html lang>)
// Single site map (no data-sites):
//   data-lat, data-lon          optional point (a marker)
//   data-outline                optional GeoJSON geometry/feature of the site
//   data-estate-outline         optional GeoJSON geometry/feature of its estate
//   data-name                   optional text for the marker (alt/title)
// Both:
//   data-tiles        tile URL template; empty or missing = no base map
//   data-attribution  attribution text of the tiles (or of the data)
//   data-label        accessible name, used when aria-label is missing
//   data-error        text shown in <p class="map-error"> when loading fails
'use strict';

document.documentElement.classList.add('js');

(function () {
  var TORRELAVEGA = [43.35, -4.05];
  var EMPTY_ZOOM = 11;
  var POINT_ZOOM = 15;
  var FIT_PADDING = [24, 24];

  // Marker colours per availability: [stroke, fill].
  var COLOURS = {
    available: ['#145a27', '#2e9e4f'],
    reserved: ['#7a4100', '#e8a33d'],
    in_tender: ['#7a4100', '#e8a33d'],
    sold: ['#3c4750', '#8a98a4'],
    let: ['#3c4750', '#8a98a4'],
    unknown: ['#2f4a63', '#7f9bb5']
  };
  var STATE_ORDER = ['available', 'reserved', 'in_tender', 'sold', 'let', 'unknown'];
  var maps = []; // every Leaflet map started here

  var OUTLINE_STYLES = {
    estate: { color: '#0b4f6c', weight: 2, dashArray: '6 4', fillColor: '#0b4f6c', fillOpacity: 0.06 },
    site: { color: '#083a50', weight: 1, fillColor: '#0b4f6c', fillOpacity: 0.14 }
  };

  var DEFAULT_LABELS = {
    area: 'Area',
    power: 'Power',
    availability: 'Availability',
    unknown: 'unknown',
    states: {},
    open: 'Open',
    legend: ''
  };

  function parseJson(text, fallback) {
    if (!text) return fallback;
    try {
      return JSON.parse(text);
    } catch (e) {
      return fallback;
    }
  }

  function labelsOf(el) {
    var given = parseJson(el.getAttribute('data-labels'), {}) || {};
    var labels = {};
    Object.keys(DEFAULT_LABELS).forEach(function (k) {
      labels[k] = typeof given[k] === 'string' || (k === 'states' && given[k] && typeof given[k] === 'object')
        ? given[k] : DEFAULT_LABELS[k];
    });
    ['close', 'zoom_in', 'zoom_out'].forEach(function (k) {
      if (typeof given[k] === 'string' && given[k]) labels[k] = given[k];
    });
    return labels;
  }

  function numberFormat(lang, digits) {
    try {
      return new Intl.NumberFormat(lang || undefined, { maximumFractionDigits: digits });
    } catch (e) {
      return new Intl.NumberFormat(undefined, { maximumFractionDigits: digits });
    }
  }

  function isNumber(v) {
    return typeof v === 'number' && isFinite(v);
  }

  // Only http(s) links (normally a same-origin path such as /sites/0193…).
  function safeUrl(url) {
    if (typeof url !== 'string' || !url) return null;
    try {
      var u = new URL(url, window.location.href);
      return u.protocol === 'http:' || u.protocol === 'https:' ? url : null;
    } catch (e) {
      return null;
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function showError(container) {
    var text = container.getAttribute('data-error');
    if (!text || container.querySelector('.map-error')) return;
    var p = el('p', 'map-error', text);
    p.setAttribute('role', 'alert');
    container.appendChild(p);
  }

  function stateOf(availability) {
    return typeof availability === 'string' && COLOURS.hasOwnProperty(availability) ? availability : 'unknown';
  }

  function stateLabel(labels, availability) {
    if (availability === null || availability === undefined || availability === '') return labels.unknown;
    var states = labels.states || {};
    return typeof states[availability] === 'string' ? states[availability] : String(availability);
  }

  // Common map set-up: accessible name, controls, optional tiles.
  function createMap(container, labels) {
    if (!container.hasAttribute('role')) container.setAttribute('role', 'region');
    var name = container.getAttribute('data-label');
    if (!container.hasAttribute('aria-label') && !container.hasAttribute('aria-labelledby') && name) {
      container.setAttribute('aria-label', name);
    }
    var map = L.map(container, { zoomControl: false, maxZoom: 19, scrollWheelZoom: false });
    maps.push(map);
    var zoomOptions = {};
    if (labels.zoom_in) zoomOptions.zoomInTitle = labels.zoom_in;
    if (labels.zoom_out) zoomOptions.zoomOutTitle = labels.zoom_out;
    L.control.zoom(zoomOptions).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);

    var tiles = (container.getAttribute('data-tiles') || '').trim();
    var attribution = (container.getAttribute('data-attribution') || '').trim();
    if (tiles) {
      L.tileLayer(tiles, { attribution: attribution, maxZoom: 19 }).addTo(map);
      container.classList.add('site-map-tiles');
    } else {
      container.classList.add('site-map-plain');
      if (attribution && map.attributionControl) map.attributionControl.addAttribution(attribution);
    }

    // The wheel zooms only once the map is in use, so scrolling the page
    // over the map does not zoom it by surprise.
    function wheel(on) {
      return function () {
        if (on) map.scrollWheelZoom.enable();
        else map.scrollWheelZoom.disable();
      };
    }
    container.addEventListener('click', wheel(true));
    container.addEventListener('focus', wheel(true));
    container.addEventListener('mouseleave', wheel(false));
    container.addEventListener('blur', wheel(false));

    // Leaflet's close button says "Close popup" in English.
    map.on('popupopen', function (e) {
      var popupEl = e.popup.getElement();
      if (!popupEl) return;
      var close = popupEl.querySelector('.leaflet-popup-close-button');
      if (close && labels.close) close.setAttribute('aria-label', labels.close);
    });
    return map;
  }

  function fit(map, group, maxZoom) {
    var bounds = group.getLayers().length ? group.getBounds() : null;
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: FIT_PADDING, maxZoom: maxZoom });
    } else {
      map.setView(TORRELAVEGA, EMPTY_ZOOM);
    }
  }

  function outlineStyle(feature) {
    var kind = feature && feature.properties && feature.properties.kind;
    return kind === 'estate' ? OUTLINE_STYLES.estate : OUTLINE_STYLES.site;
  }

  function geoJsonLayer(data, options) {
    try {
      return L.geoJSON(data, options);
    } catch (e) {
      return null; // invalid geometry: skipped, not fatal
    }
  }

  // ---- catalogue -------------------------------------------------------

  function popupFor(props, labels, fmtArea, fmtPower) {
    var box = el('div', 'map-popup');
    var url = safeUrl(props.url);
    var title = props.name || props.reference || labels.open;
    var heading = el('p', 'map-popup-title');
    if (url) {
      var a = el('a', 'map-popup-link', title);
      a.href = url;
      heading.appendChild(a);
    } else {
      heading.appendChild(el('strong', null, title));
    }
    box.appendChild(heading);

    var sub = [props.reference !== title ? props.reference : null, props.estate, props.municipality]
      .filter(function (v) { return typeof v === 'string' && v; });
    if (sub.length) box.appendChild(el('p', 'map-popup-sub', sub.join(' · ')));

    var dl = el('dl', 'map-popup-facts');
    function fact(label, value) {
      dl.appendChild(el('dt', null, label));
      var dd = value === null ? el('dd', 'unknown', labels.unknown) : el('dd', null, value);
      dl.appendChild(dd);
    }
    fact(labels.area, isNumber(props.area_m2) ? fmtArea.format(props.area_m2) + '\u00a0m²' : null);
    fact(labels.power, isNumber(props.power_kva) ? fmtPower.format(props.power_kva) + '\u00a0kVA' : null);
    var avail = props.availability;
    fact(labels.availability, avail === null || avail === undefined || avail === '' ? null : stateLabel(labels, avail));
    box.appendChild(dl);
    return box;
  }

  // Circle markers are SVG paths: make them reachable with Tab, Enter/Space
  // opens the popup and moves the focus into it, Escape goes back.
  function makeFocusable(layer, accessibleName) {
    var path = layer.getElement && layer.getElement();
    if (!path) return;
    path.setAttribute('tabindex', '0');
    path.setAttribute('role', 'button');
    path.setAttribute('aria-label', accessibleName);
    path.addEventListener('keydown', function (ev) {
      if (ev.key !== 'Enter' && ev.key !== ' ' && ev.key !== 'Spacebar') return;
      ev.preventDefault();
      layer.openPopup();
      var popup = layer.getPopup();
      var popupEl = popup && popup.getElement();
      var link = popupEl && (popupEl.querySelector('.map-popup-link') || popupEl.querySelector('a'));
      if (link) link.focus();
    });
    layer.on('popupopen', function (e) {
      var popupEl = e.popup.getElement();
      if (!popupEl || popupEl.getAttribute('data-esc')) return;
      popupEl.setAttribute('data-esc', '1');
      popupEl.addEventListener('keydown', function (ev) {
        if (ev.key !== 'Escape' && ev.key !== 'Esc') return;
        ev.preventDefault();
        ev.stopPropagation();
        layer.closePopup();
        path.focus();
      });
    });
  }

  function addLegend(map, labels, present) {
    var states = STATE_ORDER.filter(function (s) { return present[s]; });
    if (!states.length) return;
    var legend = L.control({ position: 'bottomright' });
    legend.onAdd = function () {
      var box = el('div', 'map-legend leaflet-bar');
      if (labels.legend) box.appendChild(el('p', 'map-legend-title', labels.legend));
      var ul = el('ul');
      states.forEach(function (s) {
        var li = el('li');
        var swatch = el('span', 'map-legend-swatch state-' + s);
        swatch.setAttribute('aria-hidden', 'true');
        li.appendChild(swatch);
        li.appendChild(document.createTextNode(s === 'unknown' ? labels.unknown : stateLabel(labels, s)));
        ul.appendChild(li);
      });
      box.appendChild(ul);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    legend.addTo(map);
  }

  function fetchGeoJson(url) {
    return fetch(url, {
      credentials: 'same-origin',
      headers: { Accept: 'application/geo+json, application/json' }
    }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (data) {
      if (!data || typeof data !== 'object' || !Array.isArray(data.features)) throw new Error('not a FeatureCollection');
      return data;
    });
  }

  function initCatalogue(container) {
    var labels = labelsOf(container);
    var lang = container.getAttribute('data-lang') || document.documentElement.lang || undefined;
    var fmtArea = numberFormat(lang, 0);
    var fmtPower = numberFormat(lang, 1);
    var map = createMap(container, labels);
    // A first view while the data loads.
    map.setView(TORRELAVEGA, EMPTY_ZOOM);

    var sitesUrl = container.getAttribute('data-sites');
    var outlinesUrl = container.getAttribute('data-outlines');
    var failed = false;
    function settle(p) {
      return p.then(null, function () { failed = true; return null; });
    }
    var sitesP = settle(fetchGeoJson(sitesUrl));
    var outlinesP = outlinesUrl ? settle(fetchGeoJson(outlinesUrl)) : Promise.resolve(null);

    return Promise.all([sitesP, outlinesP]).then(function (res) {
      var sites = res[0];
      var outlines = res[1];
      var all = L.featureGroup().addTo(map);

      // Outlines first, so the site markers are drawn above them.
      if (outlines) {
        var outlineLayer = geoJsonLayer(outlines, {
          style: outlineStyle,
          onEachFeature: function (feature, layer) {
            var p = feature.properties || {};
            var url = safeUrl(p.url);
            if (!p.name && !url) return;
            var box = el('div', 'map-popup');
            var heading = el('p', 'map-popup-title');
            if (url) {
              var a = el('a', 'map-popup-link', p.name || labels.open);
              a.href = url;
              heading.appendChild(a);
            } else {
              heading.appendChild(el('strong', null, p.name));
            }
            box.appendChild(heading);
            layer.bindPopup(box);
          }
        });
        if (outlineLayer) {
          outlineLayer.eachLayer(function (layer) {
            var p = (layer.feature && layer.feature.properties) || {};
            if (!p.name && !safeUrl(p.url)) layer.options.interactive = false;
          });
          outlineLayer.addTo(all);
        }
      }

      var present = {};
      var siteCount = 0;
      if (sites) {
        var focusables = [];
        // Thousands of markers: one canvas draws them far faster than SVG
        // elements. They are then not reachable with Tab; the list under the
        // map is the keyboard's way to every site either way.
        var many = Array.isArray(sites.features) && sites.features.length > 1000;
        var canvas = many ? L.canvas({ padding: 0.2 }) : null;
        var siteLayer = geoJsonLayer(sites, {
          filter: function (feature) {
            return feature && feature.geometry && feature.geometry.type === 'Point';
          },
          pointToLayer: function (feature, latlng) {
            var state = stateOf(feature.properties && feature.properties.availability);
            var c = COLOURS[state];
            present[state] = true;
            return L.circleMarker(latlng, {
              renderer: canvas || undefined,
              radius: 8,
              weight: 2,
              color: c[0],
              fillColor: c[1],
              fillOpacity: 0.9,
              className: 'site-marker site-marker-' + state
            });
          },
          onEachFeature: function (feature, layer) {
            var p = feature.properties || {};
            siteCount += 1;
            // Built when opened, not for every marker up front.
            layer.bindPopup(function () { return popupFor(p, labels, fmtArea, fmtPower); });
            if (many) return;
            var name = p.name || p.reference || labels.open;
            focusables.push([layer, name + ', ' + stateLabel(labels, p.availability)]);
          }
        });
        if (siteLayer) {
          siteLayer.addTo(all);
          focusables.forEach(function (f) { makeFocusable(f[0], f[1]); });
        }
        addLegend(map, labels, present);
      }

      fit(map, all, POINT_ZOOM);
      // How many sites were drawn: for tests and the page-load benchmark.
      container.setAttribute('data-drawn', String(siteCount));
      if (failed || !sites) showError(container);
    }).catch(function () {
      showError(container);
    });
  }

  // ---- single site -----------------------------------------------------

  function initSingle(container) {
    var labels = labelsOf(container);
    var map = createMap(container, labels);
    var all = L.featureGroup().addTo(map);
    var bad = false;

    [['data-estate-outline', 'estate'], ['data-outline', 'site']].forEach(function (pair) {
      var text = container.getAttribute(pair[0]);
      if (!text) return;
      var geo = parseJson(text, null);
      var layer = geo ? geoJsonLayer(geo, { style: OUTLINE_STYLES[pair[1]], interactive: false }) : null;
      if (layer) layer.addTo(all);
      else bad = true;
    });

    var lat = parseFloat(container.getAttribute('data-lat'));
    var lon = parseFloat(container.getAttribute('data-lon'));
    var hasPoint = isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
    if (hasPoint) {
      var name = container.getAttribute('data-name') || '';
      L.marker([lat, lon], { alt: name, title: name, keyboard: false, interactive: false }).addTo(all);
    }

    var layers = all.getLayers();
    if (hasPoint && layers.length === 1) {
      map.setView([lat, lon], POINT_ZOOM);
    } else {
      fit(map, all, 17);
    }
    if (bad) showError(container);
  }

  // ---- start -----------------------------------------------------------

  // Printing resizes the maps: keep their centre (Leaflet only watches the window).
  function resizeMaps() {
    maps.forEach(function (m) { m.invalidateSize({ pan: true }); });
  }
  window.addEventListener('beforeprint', resizeMaps);
  window.addEventListener('afterprint', resizeMaps);
  if (window.matchMedia) {
    var printQuery = window.matchMedia('print');
    if (printQuery.addEventListener) printQuery.addEventListener('change', resizeMaps);
    else if (printQuery.addListener) printQuery.addListener(resizeMaps);
  }

  function initMap(container) {
    if (container.getAttribute('data-map-ready')) return;
    container.setAttribute('data-map-ready', '1');
    if (!window.L || typeof window.L.map !== 'function') {
      showError(container);
      return;
    }
    try {
      if (container.hasAttribute('data-sites')) initCatalogue(container);
      else initSingle(container);
    } catch (e) {
      showError(container);
    }
  }

  function initPrint(root) {
    var buttons = root.querySelectorAll('.js-print');
    Array.prototype.forEach.call(buttons, function (b) {
      if (b.getAttribute('data-print-ready')) return;
      b.setAttribute('data-print-ready', '1');
      b.addEventListener('click', function (ev) {
        ev.preventDefault();
        window.print();
      });
    });
  }

  function init(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var found = [];
    if (scope.matches && scope.matches('.site-map')) found.push(scope);
    Array.prototype.push.apply(found, scope.querySelectorAll('.site-map'));
    found.forEach(initMap);
    if (scope.matches && scope.matches('.js-print')) initPrint(scope.parentNode || document);
    initPrint(scope);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { init(document); });
  } else {
    init(document);
  }
  // Content swapped in by htmx (e.g. a filtered list) gets its maps too.
  document.addEventListener('htmx:load', function (e) {
    if (e.target && e.target !== document) init(e.target);
  });
})();
