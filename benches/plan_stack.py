#!/usr/bin/env python3
"""The stack-plan figure of docs/performance.md: a plan over MEMBERS
products of VERSIONS versions each, every version requiring a window of
versions of the next product, so that the members must take turns.

    python3 benches/plan_stack.py target/release/upgrade-atlas [--members 3]
        [--versions 40] [--policy any-newer] [--runs 5]

Generates the base in a temporary folder, then times `plan` from the oldest
combination that runs together to the newest, RUNS times, and prints one
JSON object: the median and the slowest wall seconds, the moves, and the
states the plan passes. `check` runs once first, so the timed runs measure
what a reader's question costs, check included (plan checks the base).
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time


def write_base(root, members, versions, policy):
    products = os.path.join(root, "content", "products")
    os.makedirs(products)
    ids = [f"m{i}" for i in range(members)]
    for i, product in enumerate(ids):
        lines = [f"name: Member {i}", "versions:"]
        for v in range(1, versions + 1):
            lines.append(f'  - id: "{v}"')
            if i + 1 < members:
                # Version v runs beside versions v-1 to v+1 of the next member.
                window = "|".join(str(w) for w in range(max(1, v - 1), min(versions, v + 1) + 1))
                lines.append(f'    requires: ["{ids[i + 1]}@{window}"]')
        lines.append(f"upgrades: {{ policy: {policy} }}")
        with open(os.path.join(products, product + ".yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")
    stacks = os.path.join(root, "content", "stacks")
    os.makedirs(stacks)
    with open(os.path.join(stacks, "all.yaml"), "w") as f:
        f.write(f"name: All\nmembers: [{', '.join(ids)}]\n")
    return ids


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--members", type=int, default=3)
    parser.add_argument("--versions", type=int, default=40)
    parser.add_argument("--policy", default="any-newer")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        ids = write_base(root, args.members, args.versions, args.policy)
        subprocess.run([args.binary, "--root", root, "check"], check=True, capture_output=True)
        question = [args.binary, "--root", root, "plan"]
        question += [f"{p}@1" for p in ids] + ["--to"] + [f"{p}@{args.versions}" for p in ids] + ["--json"]
        times, answer = [], None
        for _ in range(args.runs):
            started = time.monotonic()
            done = subprocess.run(question, capture_output=True, text=True)
            times.append(time.monotonic() - started)
            if done.returncode != 0:
                sys.exit(f"plan failed ({done.returncode}): {done.stderr}{done.stdout[:500]}")
            answer = json.loads(done.stdout)
        print(json.dumps({
            "members": args.members, "versions": args.versions, "policy": args.policy,
            "median_seconds": round(statistics.median(times), 3), "slowest_seconds": round(max(times), 3),
            "moves": len(answer["plan"]), "states": len(answer["states"]),
        }))


if __name__ == "__main__":
    main()
