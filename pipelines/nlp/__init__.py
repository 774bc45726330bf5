"""Rule-based NLP extraction: chambers, organisations, people, dates and claims.

Public entry points:

* :func:`pipelines.nlp.language.get_nlp` - the spaCy pipeline, built once per process
* :func:`pipelines.nlp.facts.extract_records` - stream document dicts to facts dicts
* :func:`pipelines.nlp.facts.doc_to_facts` - one processed Doc to one facts dict

See docs/NLP.md for the components, the data files and the facts format.
"""
