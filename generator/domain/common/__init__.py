"""What every document kind shares: validated text, money to the penny, house-style dates, markings, paragraphs and sections, located findings."""
