/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hyperstar: the HyperSTAR Workbench window.
 */
#include <glib/gi18n.h>
#include <locale.h>

#include "hs-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr(HsApplication) app = NULL;

  setlocale (LC_ALL, "");
  hs_bind_textdomain ();
  app = hs_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
