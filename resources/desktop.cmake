# Desktop integration: the launcher entry and its icon (the lab window itself
# embeds its own copy of the icon, see app/studio/CMakeLists.txt, and the
# translations, see app/core/CMakeLists.txt).
install(FILES ${CMAKE_CURRENT_LIST_DIR}/torchlab.desktop
  DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/icons/torchlab.svg
  DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
# The PNG sizes of the hicolor theme, rendered from the SVG by icons/render-hicolor.sh.
foreach(size 16 22 24 32 48 64 128 256 512)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/icons/hicolor/${size}x${size}/apps/torchlab.png
    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
endforeach()
