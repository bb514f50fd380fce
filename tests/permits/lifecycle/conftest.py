from .kit import akdp, cast, two_opd  # noqa: F401
