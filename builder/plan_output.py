"""The plan as `build --print` shows it: text lines or JSON."""

from __future__ import annotations

import json

from builder.plan import Plan


def plan_lines(plan: Plan) -> list[str]:
    where = (
        ", ".join(f"{name}={url}" for name, url in plan.engines)
        if plan.engines
        else plan.engine_url
    )
    lines = [f"plan for {len(plan.images)} image(s) on {where}:"]
    for number, image in enumerate(plan.images, start=1):
        spec = image.spec
        lines.append(f"{number}. {image.name}: {image.action.value} ({image.reason})")
        lines.append(f"     builder: {image.builder} ({image.builder_reason})")
        if image.platform is not None:
            lines.append(f"     platform: {image.platform}")
        if image.cache_from is not None:
            lines.append(f"     cache from: {image.cache_from}")
        if image.engine is not None:
            lines.append(f"     engine: {image.engine}")
        for move in image.moves:
            lines.append(f"     move: {move.image} {move.source} -> {move.target} ({move.via})")
        if image.dependencies:
            lines.append(f"     after: {', '.join(image.dependencies)}")
        lines.append(f"     tags: {', '.join(image.refs)}")
        if spec.args:
            args = ", ".join(f"{key}={value}" for key, value in sorted(spec.args.items()))
            lines.append(f"     args: {args}")
        if spec.target:
            lines.append(f"     target: {spec.target}")
        if image.input_digest:
            lines.append(f"     input digest: {image.input_digest}")
    return lines


def plan_json(plan: Plan) -> str:
    document = {
        "engine": plan.engine_url,
        "engines": dict(plan.engines),
        "images": [
            {
                "name": image.name,
                "image": image.image,
                "platform": str(image.platform) if image.platform else None,
                "cache_entry": image.cache_entry.ref if image.cache_entry else None,
                "cache_from": image.cache_from,
                "action": image.action.value,
                "builder": image.builder,
                "reason": image.reason,
                "dependencies": list(image.dependencies),
                "tags": list(image.refs),
                "args": dict(image.spec.args),
                "target": image.spec.target,
                "input_digest": image.input_digest,
                "existing_image": image.existing_image,
                "placed_on": image.engine,
                "moves": [
                    {"image": m.image, "from": m.source, "to": m.target, "via": m.via}
                    for m in image.moves
                ],
            }
            for image in plan.images
        ],
    }
    return json.dumps(document, indent=2)
