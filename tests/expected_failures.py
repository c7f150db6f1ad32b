"""sklearn estimator checks that SpeechEmotionClassifier is expected to fail, and why.

Only inherent limitations belong here: failures that come from skorch's design
and that every skorch ``NeuralNetClassifier`` shows (verified against a plain
``skorch.NeuralNetClassifier``), and one modelling choice for speech, expected
only of the estimators that make it. Checks failing because of a speechface
bug are NOT listed: they must fail until the bug is fixed.
"""

EXPECTED_FAILED_CHECKS = {
    "check_no_attributes_set_in_init": (
        "skorch internals: NeuralNet.__init__ sets history_, initialized_ and "
        "virtual_params_ and stores every double-underscore keyword (module__width, ...) "
        "as an attribute; every skorch net fails this check"
    ),
    "check_set_params": (
        "skorch internals: skorch lists its private _params_to_validate set among "
        "get_params(); the check's fuzzing replaces it with a float and skorch's own "
        "set_params then calls .add() on it (AttributeError); a plain "
        "skorch.NeuralNetClassifier fails the same way"
    ),
    "check_classifiers_train": (
        "a modelling choice for speech, made by the default network (module__normalize='mean'): it "
        "removes each feature row's mean over time, as per-clip normalisation of MFCC or log-mel "
        "frames; the check's tabular rows are read as one channel of n_features frames, whose mean "
        "carries the class, so it learns nothing; with module__normalize=None it passes (tested)"
    ),
}


def expected_failed_checks(estimator) -> dict[str, str]:
    """The checks ``estimator`` is expected to fail: skorch's two, and the speech-frames one where it applies."""
    normalizes = estimator.get_params().get("module__normalize", "mean") is not None
    return {k: v for k, v in EXPECTED_FAILED_CHECKS.items() if normalizes or k != "check_classifiers_train"}
