"""The deployed stack installs what `make install` installs, shares MEDIA_ROOT and has a worker
service for every queue the settings route to: the Dockerfile and docker-compose.yml read against
the Makefile and the settings, so they cannot drift apart.
Docker does not run here; the Dockerfile's own pipeline check is run in this environment instead."""

import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
import yaml
from django.conf import settings as django_settings

ROOT = Path(django_settings.BASE_DIR)
MODELS_FILE = "requirements-models.txt"
# Test tools: installed by `make install`, never shipped in the image.
DEV_ONLY = {"requirements-dev.txt"}
# pip options that change how it prints or caches, not what it installs.
COSMETIC = {"-q", "--quiet", "--no-cache-dir", "--disable-pip-version-check"}
# Options whose next word is their value.
TAKES_VALUE = {"-r", "--requirement", "-c", "--constraint"}
APP_COMMANDS = ("gunicorn", "celery", "manage.py")


@dataclass(frozen=True)
class PipInstall:
    requirements: tuple[str, ...]
    constraints: tuple[str, ...]
    flags: frozenset[str]


def pip_installs(command: str) -> list[PipInstall]:
    """Every `pip install -r ...` in a shell command line (several may be joined by && or ;)."""
    found = []
    for words in shell_commands(command):
        if "pip" not in [PurePosixPath(word).name for word in words] or "install" not in words:
            continue
        words = words[words.index("install") + 1:]
        requirements, constraints, flags = [], [], set()
        pairs = iter(words)
        for word in pairs:
            if word in TAKES_VALUE:
                (requirements if word in ("-r", "--requirement") else constraints).append(next(pairs))
            elif word.startswith("-") and word not in COSMETIC:
                flags.add(word)
        if requirements:
            found.append(PipInstall(tuple(requirements), tuple(constraints), frozenset(flags)))
    return found


def shell_commands(line: str) -> list[list[str]]:
    """The words of each command of a shell line, split at &&, || and ; outside quotes."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for word in lexer:
        if word in ("&&", "||", ";"):
            commands.append([])
        else:
            commands[-1].append(word)
    return [words for words in commands if words]


def make_recipe(target: str, makefile: str) -> list[str]:
    """The recipe lines of ``target`` and of the rules it depends on, depth first (order-only too)."""
    rules: dict[str, tuple[list[str], list[str]]] = {}
    current = None
    for line in makefile.splitlines():
        if line.startswith("\t") and current is not None:
            rules[current][1].append(line.strip())
        elif (match := re.match(r"^([^\s:=#][^:=]*):(?!=)(.*)$", line)) and not line.startswith("."):
            current = match.group(1).strip()
            rules[current] = (match.group(2).replace("|", " ").split(), [])
        elif line.strip() and not line.startswith("#"):
            current = None
    lines, seen = [], set()

    def walk(name):
        if name in seen or name not in rules:
            return
        seen.add(name)
        prerequisites, recipe = rules[name]
        for prerequisite in prerequisites:
            walk(prerequisite)
        lines.extend(recipe)

    walk(target)
    return lines


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in joined.splitlines() if line.strip()]


def included(files, seen=None) -> set[str]:
    """The requirement files, with every file they include (-r) in turn."""
    seen = set() if seen is None else seen
    for name in files:
        if name in seen:
            continue
        seen.add(name)
        for line in (ROOT / name).read_text().splitlines():
            if match := re.match(r"^\s*(?:-r|--requirement)\s+(\S+)", line):
                included([match.group(1)], seen)
    return seen


@pytest.fixture(scope="module")
def make_installs():
    recipe = make_recipe("install", (ROOT / "Makefile").read_text())
    return [install for line in recipe for install in pip_installs(line.replace("$(BIN)/python -m ", ""))]


@pytest.fixture(scope="module")
def image_installs():
    instructions = dockerfile_instructions((ROOT / "Dockerfile").read_text())
    return [install for kind, arguments in instructions if kind == "RUN" for install in pip_installs(arguments)]


def test_the_parsers_read_the_recipes_they_are_given():
    makefile = ("A := 1\ninstall: $(V)/.done\n\n$(V)/.done: x.txt | $(B)/python\n\tpip install -q -r x.txt -c c.txt\n"
                "\tpip install --no-deps --require-hashes -r m.txt\n\n$(B)/python:\n\tpython -m venv v\n")
    recipe = make_recipe("install", makefile)
    dockerfile = "FROM x\n# pip install -r ignored.txt\nRUN pip install --no-cache-dir \\\n  -r a.txt -c c.txt && true\n"

    assert [install for line in recipe for install in pip_installs(line)] == [
        PipInstall(("x.txt",), ("c.txt",), frozenset()),
        PipInstall(("m.txt",), (), frozenset({"--no-deps", "--require-hashes"}))]
    assert dockerfile_instructions(dockerfile)[1] == ("RUN", "pip install --no-cache-dir    -r a.txt -c c.txt && true")
    assert pip_installs(dockerfile_instructions(dockerfile)[1][1]) == [PipInstall(("a.txt",), ("c.txt",), frozenset())]


def test_the_image_installs_the_requirement_files_make_install_does(make_installs, image_installs):
    made = included(file for install in make_installs for file in install.requirements)
    shipped = included(file for install in image_installs for file in install.requirements)

    assert MODELS_FILE in made and "requirements.txt" in made
    assert shipped == made - DEV_ONLY


def test_the_image_installs_the_models_file_with_make_installs_flags(make_installs, image_installs):
    (made,) = [install for install in make_installs if MODELS_FILE in install.requirements]
    (shipped,) = [install for install in image_installs if MODELS_FILE in install.requirements]

    assert made == shipped  # its own command: --no-deps and --require-hashes bind no other file
    assert made.requirements == (MODELS_FILE,)
    assert made.flags == {"--no-deps", "--require-hashes"}


def test_the_image_resolves_the_other_files_with_the_same_constraints(make_installs, image_installs):
    made = {install.constraints for install in make_installs if MODELS_FILE not in install.requirements}
    shipped = {install.constraints for install in image_installs if MODELS_FILE not in install.requirements}

    assert shipped == made == {("constraints.txt",)}


def test_every_file_the_image_installs_from_is_copied_in_before(image_installs):
    copied: set[str] = set()
    for kind, arguments in dockerfile_instructions((ROOT / "Dockerfile").read_text()):
        if kind == "COPY":
            *sources, _destination = shlex.split(arguments)
            copied |= set(sources)
        elif kind == "RUN":
            for install in pip_installs(arguments):
                needed = set(install.requirements) | set(install.constraints)
                assert "." in copied or needed <= copied, f"not copied before `{arguments}`: {needed - copied}"


def test_the_image_build_checks_that_the_shipped_pipeline_loads():
    """The Dockerfile's check, run here: it must load the pipeline and fail when it cannot."""
    checks = [arguments for kind, arguments in dockerfile_instructions((ROOT / "Dockerfile").read_text())
              if kind == "RUN" and "load_pipeline" in arguments]
    assert len(checks) == 1
    command = shlex.split(checks[0])
    assert command[:2] == ["python", "-c"]

    loads = subprocess.run([sys.executable, "-c", command[2]], cwd=ROOT, capture_output=True, text=True, timeout=300)
    broken = subprocess.run([sys.executable, "-c", command[2].replace("load_pipeline()", "1/0")], cwd=ROOT,
                            capture_output=True, timeout=300)

    assert loads.returncode == 0, loads.stderr
    assert broken.returncode != 0


# --- docker-compose.yml ----------------------------------------------------------------


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def app_services(compose) -> dict[str, dict]:
    """The services that run the product (its image and one of its commands)."""
    return {name: service for name, service in compose["services"].items()
            if any(word in str(service.get("command", "")) for word in APP_COMMANDS)}


def media_volume(service: dict, compose: dict) -> tuple[str, str]:
    """(named volume, mount point) of the volume holding the service's MEDIA_ROOT."""
    media_root = PurePosixPath(service["environment"]["MEDIA_ROOT"])
    for volume in service.get("volumes", []):
        source, _, target = volume.partition(":")
        target = target.split(":")[0]
        if source in (compose.get("volumes") or {}) and media_root.is_relative_to(target):
            return source, target
    raise AssertionError(f"no named volume holds MEDIA_ROOT {media_root}")


def worker_queues(service: dict) -> set[str]:
    command = service["command"]
    words = command if isinstance(command, list) else shlex.split(command)
    if "worker" not in words:
        return set()
    if "-Q" in words:
        return set(words[words.index("-Q") + 1].split(","))
    return {django_settings.CELERY_TASK_DEFAULT_QUEUE}


def test_web_workers_and_beat_share_one_media_volume(compose):
    services = app_services(compose)

    assert {"web", "beat", *KIND_SERVICES} <= set(services)
    mounts = {name: media_volume(service, compose) for name, service in services.items()}
    assert len(set(mounts.values())) == 1, mounts
    assert len({service["environment"]["MEDIA_ROOT"] for service in services.values()}) == 1
    assert len({service["image"] for service in services.values()}) == 1


# A worker service per kind of work, named after the queue it serves.
KIND_SERVICES = ("ingest", "preannotate", "training", "export")
KIND_QUEUE_SETTINGS = {"ingest": "INGEST_QUEUE", "preannotate": "PREANNOTATION_QUEUE", "training": "MODEL_TRAINING_QUEUE",
                       "export": "EXPORT_QUEUE"}


def routed_queues() -> set[str]:
    return {route["queue"] for route in django_settings.CELERY_TASK_ROUTES.values()}


def test_each_routed_queue_has_exactly_one_worker_service_and_each_kind_a_service_of_its_own(compose):
    queues = {name: worker_queues(service) for name, service in app_services(compose).items()}
    serving = [(queue, name) for name, served in queues.items() for queue in served]

    assert routed_queues() >= {django_settings.CELERY_TASK_DEFAULT_QUEUE, *KIND_SERVICES}
    # Every queue the settings route to is served, by one service only: scaling a service grows one kind.
    assert sorted(queue for queue, _ in serving) == sorted(routed_queues())
    for kind in KIND_SERVICES:
        assert queues[kind] == {getattr(django_settings, KIND_QUEUE_SETTINGS[kind])} == {kind}
    assert not queues["beat"] and not queues["web"]


def test_worker_services_scale_and_beat_runs_once(compose):
    """`docker compose up --scale preannotate=N`: a scaled service may not fix a container name or a
    host port, and each replica names itself after its container (%h)."""
    services = app_services(compose)
    workers = {name: service for name, service in services.items() if worker_queues(service)}

    for name, service in workers.items():
        assert "container_name" not in service and "ports" not in service, name
        command = service["command"]
        assert command[command.index("--hostname") + 1].endswith("@%h"), name
    beats = [name for name, service in services.items() if "beat" in service["command"]]
    assert beats == ["beat"]
    assert "replicas" not in str(services["beat"].get("deploy", ""))


def test_the_queue_check_fails_for_a_queue_no_service_serves(compose):
    services = {name: service for name, service in app_services(compose).items() if name != "export"}
    served = {queue for service in services.values() for queue in worker_queues(service)}

    assert routed_queues() - served == {"export"}


def test_the_media_volume_check_fails_for_a_service_without_it(compose):
    service = {**compose["services"]["preannotate"], "volumes": ["other:/data"]}

    with pytest.raises(AssertionError, match="no named volume holds MEDIA_ROOT"):
        media_volume(service, compose)
