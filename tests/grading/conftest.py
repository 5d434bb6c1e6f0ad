"""Let the grading tests import the calibration helper next to them."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
