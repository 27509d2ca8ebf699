/* Built with `pkg-config --cflags --libs campaign` against the installed prefix. */
#include <campaign.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  const char *json = "{\"id\":\"cmp_c\",\"status\":\"running\"}";
  campaign_record *rec = NULL;
  if (campaign_record_parse(json, strlen(json), &rec, NULL) != CAMPAIGN_OK) return 1;
  int status = -1;
  campaign_record_status(rec, &status);
  printf("%s %d\n", campaign_version(), status);
  campaign_record_free(rec);
  return status == CAMPAIGN_STATUS_RUNNING ? 0 : 1;
}
