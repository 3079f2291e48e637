/* about.h — book/'s contribution to "what produced this output" (mapper/about.h). */
#ifndef EM_BOOK_ABOUT_H
#define EM_BOOK_ABOUT_H

/* Adds libxlsxwriter at its run-time version to the mapper/about.h list. */
void em_book_about(void);

#endif
