"""Events: trigger cues, per-sentence events, dating and merging across articles, headlines, evaluation."""
