# Desktop integration: the launcher entry and its icon (the lab window itself
# embeds its own copy of the icon and the translations; see app/studio/studio.cmake).
install(FILES ${CMAKE_CURRENT_LIST_DIR}/torchlab.desktop
  DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/icons/torchlab.svg
  DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/icons/torchlab.png
  DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/128x128/apps)
