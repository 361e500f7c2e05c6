from __future__ import annotations

import time

import pytest

from fundwatch.alerts.signing import WebhookVerificationError, sign, signed_headers, verify

# The published test vector of the Standard Webhooks reference libraries.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signature_matches_the_spec_test_vector() -> None:
    assert sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE
    # the whsec_ prefix is optional
    assert sign(SPEC_SECRET.removeprefix("whsec_"), SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == (
        SPEC_SIGNATURE
    )


def test_receiver_accepts_within_five_minutes_and_rejects_beyond() -> None:
    headers = signed_headers(SPEC_SECRET, SPEC_ID, SPEC_BODY, timestamp=SPEC_TIMESTAMP)
    verify(SPEC_SECRET, headers, SPEC_BODY, now=SPEC_TIMESTAMP + 299)
    verify(SPEC_SECRET, headers, SPEC_BODY, now=SPEC_TIMESTAMP - 299)
    for skew in (301, -301, 360, -3600):
        with pytest.raises(WebhookVerificationError, match="tolerance"):
            verify(SPEC_SECRET, headers, SPEC_BODY, now=SPEC_TIMESTAMP + skew)


def test_tampered_body_or_wrong_secret_is_rejected() -> None:
    headers = signed_headers(SPEC_SECRET, SPEC_ID, SPEC_BODY)
    with pytest.raises(WebhookVerificationError, match="signature"):
        verify(SPEC_SECRET, headers, SPEC_BODY + b" ", now=time.time())
    other = "whsec_" + "A" * 32
    with pytest.raises(WebhookVerificationError):
        verify(other, headers, SPEC_BODY)
    without = {k: v for k, v in headers.items() if k != "webhook-signature"}
    with pytest.raises(WebhookVerificationError, match="missing"):
        verify(SPEC_SECRET, without, SPEC_BODY)
