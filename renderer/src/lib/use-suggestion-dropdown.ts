import { useState } from 'react';

/**
 * Props for a Mantine Autocomplete whose dropdown counts as open only while it shows a suggestion. Mantine keeps
 * it "open" whenever the field has focus, even with nothing to show, and an open dropdown takes the Escape key,
 * so a dialog opened on that field would need Escape twice to close.
 */
export function useSuggestionDropdown(suggestions: readonly string[], typed: string) {
  const [wanted, setWanted] = useState(false);
  const search = typed.trim().toLowerCase();
  // Mantine's own filter: a suggestion shows while it contains what is typed.
  const showing = suggestions.some((suggestion) => suggestion.toLowerCase().includes(search));
  return {
    dropdownOpened: wanted && showing,
    onDropdownOpen: () => setWanted(true),
    onDropdownClose: () => setWanted(false),
  };
}
