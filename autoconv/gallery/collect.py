"""The child process that converts: ``python -m autoconv.gallery.collect REQUESTS.json RESULT.json``.

The gallery and the Sphinx extension need ``Conversion``s, which need TensorFlow; their own
process must not import it (an unchanged rebuild would pay seconds for nothing), so one child
converts every changed target in one go. Results go to a file, not stdout: stdout
belongs to whatever the user's modules print while loading.

A request is ``{"target": target}`` (a sample name, ``file.py:func`` or ``pkg.mod:func``), with
``"explain": ARGS`` also explaining that call (the entry then has ``"explained"``);
sample files are described by the check's workers instead. Each answer is ``{"error": message | None,
"entries": [{"sample": facts | None, "conversion": Conversion dict, "seconds": float}]}``.
"""
from __future__ import annotations

import json
import sys
import time
from typing import Any

from autoconv import targets
from autoconv.conversion import convert
from autoconv.errors import AutoconvError
from autoconv.fdcapture import capture_fds
from autoconv.samples import Sample


def _entry(obj: Any, declared: Sample | None) -> dict[str, Any]:
    started = time.perf_counter()
    conversion = convert(obj)
    return {
        "sample": declared.facts() if declared is not None else None,
        "conversion": conversion.to_dict(),
        "seconds": round(time.perf_counter() - started, 4),
    }


def explained(obj: Any, arguments: str) -> dict[str, Any]:
    """``{"explanation": data}`` for one call written as ``autoconv explain --args`` takes it, or
    ``{"error": message}`` when the arguments or the call fail."""
    from autoconv.arguments import namespace_of, parse_call
    from autoconv.explanation.api import Explainer

    try:
        case = parse_call(arguments, namespace_of(obj))
        with capture_fds():  # what the call prints while tracing is not this process's output
            explanation = Explainer(obj)(*case.args, **case.kwargs)
    except AutoconvError as error:
        return {"error": " ".join(str(error).split())}
    except Exception as error:
        return {"error": f"the call raised {type(error).__name__}: {' '.join(str(error).split())[:300]}"}
    return {"explanation": explanation.to_data()}


def answer(request: dict[str, str]) -> dict[str, Any]:
    try:
        resolved = targets.resolve(request["target"])
        entry = _entry(resolved.obj, resolved.sample)
        if request.get("explain") is not None:
            entry["explained"] = explained(resolved.obj, request["explain"])
        return {"error": None, "entries": [entry]}
    except AutoconvError as error:
        return {"error": " ".join(str(error).split()), "entries": []}
    except Exception as error:  # a conversion that breaks autoconv itself: say so, keep going
        return {"error": f"{type(error).__name__}: {error}", "entries": []}
    finally:
        targets.unload_user_modules()


def main(requests_path: str, result_path: str) -> None:
    with open(requests_path, encoding="utf-8") as stream:
        requests = json.load(stream)
    answers = [answer(request) for request in requests]
    with open(result_path, "w", encoding="utf-8") as stream:
        json.dump(answers, stream)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
