"""A Python leaderboard agent: random search with restarts, in CompilerGym's ``policy(env)`` style.

    npx passgym leaderboard run --agent python:examples/leaderboard_policy.py \\
        --dataset embedded-v0 --split validation --time-budget 5 --out /tmp/py.csv

``policy`` gets a PassGymEnv reset on the benchmark (reward IrInstructionCountOz) and a budget;
it returns the best action sequence it saw.
"""
import time


def policy(env, budget):
    t0 = time.monotonic()
    seconds = budget.get("seconds") or 10.0
    max_steps = budget.get("steps") or 10 ** 9
    best_reward, best_actions, steps = 0.0, [], 0
    while time.monotonic() - t0 < seconds and steps < max_steps:
        env.reset()
        for _ in range(40):
            _, _, terminated, truncated, info = env.step(env.action_space.sample())
            steps += 1
            if "error_type" not in info and env.episode_reward > best_reward:
                best_reward, best_actions = env.episode_reward, env.actions
            if terminated or truncated or steps >= max_steps or time.monotonic() - t0 >= seconds:
                break
    return {"actions": best_actions, "steps": steps}
