"""cleantext: turn scraped news text into a clean, deduplicated corpus."""
from cleantext.config import (BoilerplateConfig, Config, DedupConfig, LangConfig, ReadConfig,
                              RepairConfig)
from cleantext.document import Document, PassageMatch, Removal

__version__ = "0.1.0"

__all__ = ["BoilerplateConfig", "Config", "DedupConfig", "Document", "LangConfig",
           "PassageMatch", "ReadConfig", "Removal", "RepairConfig", "__version__"]
