from tests.permits.lifecycle.kit import akdp, cast, two_opd  # noqa: F401
