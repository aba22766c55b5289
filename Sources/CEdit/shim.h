// el_set, el_get and history() are C variadic functions, which Swift cannot call;
// these static inline wrappers give each use a fixed signature.
#include <stdio.h>
#include <locale.h>
#include <histedit.h>

typedef const char *(*shim_prompt_fn)(EditLine *);
typedef unsigned char (*shim_cmd_fn)(EditLine *, int);

static inline EditLine *shim_el_init(const char *p) { return el_init(p, stdin, stdout, stderr); }
static inline int shim_el_set_prompt(EditLine *e, shim_prompt_fn f) { return el_set(e, EL_PROMPT, f); }
static inline int shim_el_set_editor(EditLine *e, const char *m) { return el_set(e, EL_EDITOR, m); }
static inline int shim_el_set_signal(EditLine *e, int on) { return el_set(e, EL_SIGNAL, on); }
static inline int shim_el_set_hist(EditLine *e, History *h) { return el_set(e, EL_HIST, history, h); }
static inline int shim_el_addfn(EditLine *e, const char *n, const char *help, shim_cmd_fn f) { return el_set(e, EL_ADDFN, n, help, f); }
static inline int shim_el_bind(EditLine *e, const char *k, const char *fn) { return el_set(e, EL_BIND, k, fn, (const char *)0); }
static inline int shim_el_set_clientdata(EditLine *e, void *d) { return el_set(e, EL_CLIENTDATA, d); }
static inline void *shim_el_get_clientdata(EditLine *e) { void *d = 0; el_get(e, EL_CLIENTDATA, &d); return d; }
static inline int shim_history_setsize(History *h, int n) { HistEvent ev; return history(h, &ev, H_SETSIZE, n); }
static inline int shim_history_setunique(History *h, int u) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, u); }
static inline int shim_history_enter(History *h, const char *s) { HistEvent ev; return history(h, &ev, H_ENTER, s); }
static inline void shim_fflush_stdout(void) { fflush(stdout); }
