"""Agreement between two independent codings of the same documents.

Unitizing: two statements *overlap* when they are in the same document and their
spans share at least ``min_overlap`` of the shorter span's characters (default
one half), so that coders who draw a position's boundaries a few words apart are
still counted as marking the same unit.

Matching: statements are paired one to one, greedily, preferring pairs with (1)
the same speaker and claim, (2) the same claim, (3) the same speaker, then (4) the
larger overlap; ties go to the earlier statements. Preferring equal codes when
several rows sit on one span is what a human adjudicator would do, but it lifts
agreement on speaker and claim a little; the reliability notebook says so.

Krippendorff's alpha, nominal or ordinal (codes in a given order, as the fact-check's rating
scale), is computed from the coincidence matrix of the paired codes, with a percentile
bootstrap over units for its interval (``alpha_with_interval``). Every interval of the library
comes from ``bootstrap_interval``: one resampling rule and one seeding scheme
(``SeedSequence([seed, *key])``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CODES = ["speaker", "claim_id", "stance", "attribution", "target"]


def overlaps(a: pd.DataFrame, b: pd.DataFrame, min_overlap: float = 0.5) -> pd.DataFrame:
    """All (i, j) index pairs of rows of ``a`` and ``b`` whose spans overlap enough."""
    rows = []
    for doc_id, left in a.groupby("doc_id", observed=True, sort=True):
        right = b[b["doc_id"] == doc_id]
        s1, e1 = left["start"].to_numpy("int64")[:, None], left["end"].to_numpy("int64")[:, None]
        s2, e2 = right["start"].to_numpy("int64")[None, :], right["end"].to_numpy("int64")[None, :]
        shared = np.minimum(e1, e2) - np.maximum(s1, s2)
        shorter = np.minimum(e1 - s1, e2 - s2)
        i, j = np.nonzero(shared >= min_overlap * shorter)
        i, j = i[shared[i, j] > 0], j[shared[i, j] > 0]
        rows.append(pd.DataFrame({"i": left.index[i], "j": right.index[j],
                                  "overlap": shared[i, j] / np.maximum(e1 - s1, e2 - s2)[i, j]}))
    if not rows:
        return pd.DataFrame({"i": [], "j": [], "overlap": []})
    return pd.concat(rows, ignore_index=True)


def match(a: pd.DataFrame, b: pd.DataFrame, min_overlap: float = 0.5,
          prefer_same_codes: bool = True) -> pd.DataFrame:
    """Pair the statements of codings ``a`` and ``b``; unmatched rows appear with the other side
    empty. Columns: ``<field>_a``, ``<field>_b`` for every column, and ``matched``.

    With ``prefer_same_codes=False`` pairs are chosen by overlap and position alone, blind to
    the codes: a conservative bound on code agreement."""
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    pairs = overlaps(a, b, min_overlap)
    same_speaker = (a.loc[pairs["i"], "speaker"].to_numpy() == b.loc[pairs["j"], "speaker"].to_numpy())
    same_claim = (a.loc[pairs["i"], "claim_id"].to_numpy() == b.loc[pairs["j"], "claim_id"].to_numpy())
    rank = np.select([same_speaker & same_claim, same_claim, same_speaker], [0, 1, 2], 3)
    pairs = pairs.assign(rank=rank if prefer_same_codes else 0)
    pairs = pairs.sort_values(["rank", "overlap", "i", "j"], ascending=[True, False, True, True],
                              kind="stable")
    used_a, used_b, chosen = set(), set(), []
    for i, j in zip(pairs["i"], pairs["j"], strict=True):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            chosen.append((i, j))
    chosen.sort()
    left = a.add_suffix("_a")
    right = b.add_suffix("_b")
    matched = pd.concat([left.loc[[i for i, _ in chosen]].reset_index(drop=True),
                         right.loc[[j for _, j in chosen]].reset_index(drop=True)], axis=1)
    only_a = left.drop(index=list(used_a))
    only_b = right.drop(index=list(used_b))
    table = pd.concat([matched.assign(matched=True), only_a.assign(matched=False),
                       only_b.assign(matched=False)], ignore_index=True)
    position = table["start_a"].fillna(table["start_b"])
    return table.assign(_position=position).sort_values("_position", kind="stable").drop(
        columns="_position").reset_index(drop=True)


def unitizing(a: pd.DataFrame, b: pd.DataFrame, min_overlap: float = 0.5,
              prefer_same_codes: bool = True) -> pd.DataFrame:
    """Precision, recall and F1 of coding ``b`` against coding ``a`` on matched statements
    (one row).

    Swapping ``a`` and ``b`` swaps precision and recall and leaves F1 unchanged.
    """
    table = match(a, b, min_overlap, prefer_same_codes)
    matched = int(table["matched"].sum())
    precision = matched / len(b) if len(b) else float("nan")
    recall = matched / len(a) if len(a) else float("nan")
    f1 = 2 * matched / (len(a) + len(b)) if len(a) + len(b) else float("nan")
    return pd.DataFrame([{"statements_a": len(a), "statements_b": len(b), "matched": matched,
                          "precision": precision, "recall": recall, "f1": f1}], index=["b vs a"])


def _codes(first, second, values=None) -> tuple[np.ndarray, np.ndarray, int]:
    """Integer codes of the units both coders coded (missing values dropped) and how many codes
    there are: positions in ``values`` when given (ValueError names a code off it), else in
    sorted order."""
    pairs = pd.DataFrame({"a": pd.Series(first, dtype="object").reset_index(drop=True),
                          "b": pd.Series(second, dtype="object").reset_index(drop=True)}).dropna()
    both = np.concatenate([pairs["a"].astype(str), pairs["b"].astype(str)])
    if values is None:
        names, codes = np.unique(both, return_inverse=True)
    else:
        names = [str(value) for value in values]
        unknown = sorted(set(both) - set(names))
        if unknown:
            raise ValueError(f"codes not among the ordered values: {', '.join(unknown)}; "
                             f"values: {', '.join(names)}")
        position = {name: i for i, name in enumerate(names)}
        codes = np.array([position[v] for v in both], dtype=np.int64)
    return codes[: len(pairs)], codes[len(pairs):], len(names)


def _alphas(a: np.ndarray, b: np.ndarray, k: int, ordinal: bool) -> np.ndarray:
    """Alpha for each row of the (samples x units) code arrays ``a`` and ``b``, from the
    coincidences o_ck of both orders of every pair (each unit has m=2 values, so each ordered pair
    weighs 1/(m-1) = 1): 1 - observed / expected disagreement, weighted by the distance delta_ck,
    nominal 1 for c != k, ordinal (sum of n_g for g from c to k, minus (n_c + n_k) / 2) squared."""
    samples = a.shape[0]
    coincidence = np.zeros((samples, k, k))
    rows = np.repeat(np.arange(samples), a.shape[1])
    np.add.at(coincidence, (rows, a.ravel(), b.ravel()), 1)
    np.add.at(coincidence, (rows, b.ravel(), a.ravel()), 1)
    n_c = coincidence.sum(axis=2)
    n = n_c.sum(axis=1)
    if ordinal:
        cumulative = np.cumsum(n_c, axis=1)
        low = np.minimum.outer(np.arange(k), np.arange(k))
        high = np.maximum.outer(np.arange(k), np.arange(k))
        before = np.where(low > 0, cumulative[:, np.maximum(low - 1, 0)], 0)
        delta = (cumulative[:, high] - before - (n_c[:, :, None] + n_c[:, None, :]) / 2) ** 2
    else:
        delta = 1 - np.eye(k)
    observed = (coincidence * delta).sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = (n_c[:, :, None] * n_c[:, None, :] * delta).sum(axis=(1, 2)) / (n - 1)
        return np.where(expected > 0, 1 - observed / expected, np.nan)


def bootstrap_interval(statistic, units: int, n_boot: int = 2000, seed: int = 0,
                       key: tuple[int, ...] = ()) -> tuple[float, float]:
    """The 95% percentile interval of ``statistic`` over ``n_boot`` resamples of ``units`` units
    drawn with replacement; NaN, NaN without units or without a defined value.

    ``statistic`` takes an (n_boot x units) array of unit indices and returns one value per
    row (NaN where undefined; those are left out). Draws come from ``SeedSequence([seed,
    *key])``: the same seed and key give the same interval, and a ``key`` (a pair's name, say)
    gives each estimate its own stream, so it does not depend on what was computed before it.
    """
    if units == 0:
        return float("nan"), float("nan")
    generator = np.random.default_rng(np.random.SeedSequence([seed, *key]))
    draws = generator.integers(0, units, size=(n_boot, units))
    values = np.asarray(statistic(draws), dtype="float64")
    values = values[~np.isnan(values)]
    if not len(values):
        return float("nan"), float("nan")
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def alpha_with_interval(first, second, n_boot: int = 2000, seed: int = 0,
                        values=None) -> dict[str, float]:
    """Alpha with a 95% percentile bootstrap interval over pairable units (seeded): nominal,
    or ordinal when ``values`` lists the codes in order."""
    left, right, k = _codes(first, second, values)

    def alphas(a, b):
        return _alphas(a, b, k, ordinal=values is not None)
    if len(left) == 0:
        return {"alpha": float("nan"), "low": float("nan"), "high": float("nan"), "units": 0}
    estimate = float(alphas(left[None, :], right[None, :])[0])
    low, high = bootstrap_interval(lambda draws: alphas(left[draws], right[draws]), len(left), n_boot, seed)
    return {"alpha": estimate, "low": low, "high": high, "units": int(len(left))}


def code_agreement(table: pd.DataFrame, fields: list[str] | None = None, n_boot: int = 2000,
                   seed: int = 0) -> pd.DataFrame:
    """Alpha with interval and raw percent agreement for each code, on the matched pairs of
    ``match()``. An empty ``target`` counts as the code "none"."""
    pairs = table[table["matched"]]
    rows = []
    for field in fields or CODES:
        a = pairs[f"{field}_a"].astype("object")
        b = pairs[f"{field}_b"].astype("object")
        if field == "target":
            a, b = a.where(a.notna(), "none"), b.where(b.notna(), "none")
        result = alpha_with_interval(a, b, n_boot=n_boot, seed=seed)
        result["percent_agreement"] = float((a.astype(str) == b.astype(str)).mean())
        rows.append({"code": field, **result})
    return pd.DataFrame(rows)


def confusion(table: pd.DataFrame, field: str = "stance") -> pd.DataFrame:
    """Cross-table of ``field`` on matched pairs: rows coder a, columns coder b."""
    pairs = table[table["matched"]]
    return pd.crosstab(pairs[f"{field}_a"].astype("string").rename(f"{field} (a)"),
                       pairs[f"{field}_b"].astype("string").rename(f"{field} (b)"))


def disagreements(table: pd.DataFrame, fields: list[str] | None = None) -> pd.DataFrame:
    """Every unmatched statement and every matched pair that differs in any code, side by side."""
    fields = fields or CODES
    differs = ~table["matched"]
    for field in fields:
        a, b = table[f"{field}_a"].astype("string"), table[f"{field}_b"].astype("string")
        differs |= table["matched"] & ~(a.fillna("") == b.fillna(""))
    out = table[differs].copy()

    def what(row) -> str:
        if not row["matched"]:
            return "only coder a" if pd.notna(row["statement_id_a"]) else "only coder b"
        return ", ".join(f for f in fields
                         if str(row[f"{f}_a"]) != str(row[f"{f}_b"])
                         and not (pd.isna(row[f"{f}_a"]) and pd.isna(row[f"{f}_b"])))

    out.insert(0, "differs_in", out.apply(what, axis=1))
    return out
