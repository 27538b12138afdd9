"""``passgym.make``: CompilerGym's environment ids, served by a private local server unless an
endpoint is given. The ids and their spaces are those of TypeScript's ``env/registry.ts`` (and
CompilerGym's ``compiler_gym/envs/llvm/__init__.py``)."""
from __future__ import annotations

from typing import Dict, Optional, Tuple

from .client import Client, PassGymError
from .env import PassGymEnv
from .server import acquire_local_server, release_local_server

#: Environment id -> (observation space, reward space), CompilerGym's seven LLVM ids.
ENV_IDS: Dict[str, Tuple[Optional[str], Optional[str]]] = {
    "llvm-v0": (None, None),
    "llvm-ic-v0": (None, "IrInstructionCountOz"),
    "llvm-codesize-v0": (None, "ObjectTextSizeOz"),
    "llvm-autophase-ic-v0": ("Autophase", "IrInstructionCountOz"),
    "llvm-autophase-codesize-v0": ("Autophase", "ObjectTextSizeOz"),
    "llvm-ir-ic-v0": ("Ir", "IrInstructionCountOz"),
    "llvm-ir-codesize-v0": ("Ir", "ObjectTextSizeOz"),
}

_DEFAULT = object()


def make(env_id: str, benchmark: Optional[str] = None, observation_space=_DEFAULT, reward_space=_DEFAULT,
         action_space: Optional[str] = None, endpoint: Optional[str] = None, client: Optional[Client] = None,
         report_effect: bool = True, **client_options) -> PassGymEnv:
    """An environment by CompilerGym id (``ENV_IDS``), e.g. ``make("llvm-autophase-ic-v0")``.

    Args:
        env_id: one of ``ENV_IDS``; it sets the default observation and reward spaces.
        benchmark: the benchmark of the first ``reset()`` (default embedded-v0/qsort).
        observation_space, reward_space: override the id's spaces (a name, or None for none).
        action_space: ``"PassesAll"`` (default) or ``"PassesWithLevels"``.
        endpoint: a ``passgym serve`` to use. Without it (and without ``client``) the env uses this
            process's private server (``passgym.server``), started on first use and stopped when
            the last env using it closes or the interpreter exits.
        client: a ``Client`` to use instead of an endpoint.
        report_effect: ``info["action_had_no_effect"]`` on every step (see ``PassGymEnv``).
        client_options: ``Client`` keywords (``timeout_ms``, ``curve_server_key``, …).
    Raises:
        PassGymError: UNKNOWN_SPACE for an unknown id (listing the valid ones) or space;
            MISSING_TOOL / SERVER_FAILED when the private server cannot start.
    """
    if env_id not in ENV_IDS:
        from .client import UnknownSpaceError
        raise UnknownSpaceError(f"unknown environment id {env_id!r}; valid: {', '.join(ENV_IDS)}")
    obs, rew = ENV_IDS[env_id]
    obs = obs if observation_space is _DEFAULT else observation_space
    rew = rew if reward_space is _DEFAULT else reward_space
    on_close = None
    if client is None and endpoint is None:
        endpoint = acquire_local_server()
        on_close = release_local_server
    if client is None:
        client = Client(endpoint, **client_options)
        owns = True
    else:
        owns = False
    try:
        env = PassGymEnv(benchmark, action_space=action_space or "PassesAll", observation_space=obs, reward_space=rew,
                         client=client, on_close=on_close, report_effect=report_effect)
    except BaseException:
        if owns:
            client.close()
        if on_close is not None:
            on_close()
        raise
    env._owns_client = owns
    env.env_id = env_id
    return env


def _register_with_gymnasium() -> None:
    """``gymnasium.make("passgym/llvm-ic-v0")`` and the other ids, when Gymnasium is installed
    (it is not a dependency). The envs are ``gymnasium.Env`` subclasses then (``passgym.env``).
    Their spaces are PassGym's own (``passgym.spaces``), so Gymnasium's environment checker,
    which expects ``gymnasium.spaces``, is turned off for them."""
    try:
        import gymnasium
    except ImportError:
        return
    import functools

    for env_id in ENV_IDS:
        gid = f"passgym/{env_id}"
        if gid not in gymnasium.registry:
            gymnasium.register(id=gid, entry_point=functools.partial(make, env_id), disable_env_checker=True)


_register_with_gymnasium()
